/** The middle value (the upper one of an even count): robust to one slow run on a shared machine. */
export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
