/** What the media chooser offers: clips and photos (HEIC too: the host decodes it). */
export const MEDIA_ACCEPT = 'video/*,.mov,.mp4,.m4v,.mkv,.hevc,image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp,.heic,.heif';

/** Opens the standard file chooser (clips and photos unless `accept` says otherwise) and resolves with what was picked. */
export function pickFiles(options: { multiple: boolean; accept?: string }): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = options.accept ?? MEDIA_ACCEPT;
    input.multiple = options.multiple;
    input.style.display = 'none';
    input.addEventListener('change', () => {
      resolve(Array.from(input.files ?? []));
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve([]);
      input.remove();
    });
    document.body.appendChild(input);
    input.click();
  });
}
