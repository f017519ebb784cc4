// The built-in reel templates (9:16). Text stays between 15% and 75% of the height, clear of the
// places where Instagram Reels / TikTok / Shorts draw their buttons and captions.
import type { TemplateDefinition } from './model';

const title = { color: '#FFFFFF', font_size: 84, font_family: 'Montserrat', font_weight: 'bold', background: '#00000066', align: 'center' } as const;
const caption = { color: '#FFFFFF', font_size: 60, font_family: 'Inter', font_weight: 'bold', background: '#00000059', align: 'center' } as const;
const callToAction = { color: '#1A1A1A', font_size: 68, font_family: 'Inter', font_weight: 'bold', background: '#FFFFFFE6', align: 'center' } as const;

export const BUILT_IN_TEMPLATES: readonly TemplateDefinition[] = [
  {
    id: 'hotel-tour',
    name: 'Hotel tour',
    description: 'Five clips (3, 2, 2, 2, 3 s): a title on the first, a call to action on the last.',
    aspect: '9:16',
    slots: [3, 2, 2, 2, 3].map((duration) => ({ duration })),
    overlays: [
      { slot: 0, offset: 0.2, duration: 2.6, content: 'Welcome to\n{project}', position: { x: 50, y: 24 }, style: title },
      { slot: 4, offset: 0.3, content: 'Book your stay', position: { x: 50, y: 66 }, style: callToAction },
    ],
  },
  {
    id: 'room-reveal',
    name: 'Room reveal',
    description: 'Four clips (2, 3, 3, 4 s) that reveal a room, with captions and a closing call to action.',
    aspect: '9:16',
    slots: [2, 3, 3, 4].map((duration) => ({ duration })),
    overlays: [
      { slot: 0, offset: 0.2, content: 'Your room at\n{project}', position: { x: 50, y: 22 }, style: title },
      { slot: 1, offset: 0.3, content: 'Wake up to the view', position: { x: 50, y: 60 }, style: caption },
      { slot: 2, offset: 0.3, content: 'Every comfort included', position: { x: 50, y: 60 }, style: caption },
      { slot: 3, offset: 0.5, content: 'Book this room', position: { x: 50, y: 66 }, style: callToAction },
    ],
  },
  {
    id: 'breakfast-pool',
    name: 'Breakfast & pool',
    description: 'Six quick 1.5 s clips: breakfast, then the pool, with a closing call to action.',
    aspect: '9:16',
    slots: Array.from({ length: 6 }, () => ({ duration: 1.5 })),
    overlays: [
      { slot: 0, offset: 0.1, duration: 2.9, content: 'Good morning\nfrom {project}', position: { x: 50, y: 24 }, style: title },
      { slot: 3, offset: 0, duration: 1.5, content: 'Pool time', position: { x: 50, y: 45 }, style: caption },
      { slot: 5, offset: 0.1, content: 'Treat yourself', position: { x: 50, y: 66 }, style: callToAction },
    ],
  },
];
