import { useTranslation } from 'react-i18next';

/**
 * Where the apps' own interface covers a 9:16 video (approximate, from each app's published
 * safe-zone guidance): the top bar, the caption and account block at the bottom, and the
 * column of buttons on the right. Percentages of the frame.
 */
const ZONES = [
  { key: 'top', className: 'zone-top', x: 0, y: 0, w: 100, h: 8 },
  { key: 'bottom-reels', className: 'zone-reels', x: 0, y: 65, w: 100, h: 35 },
  { key: 'bottom-tiktok', className: 'zone-tiktok', x: 0, y: 74, w: 100, h: 26 },
  { key: 'bottom-shorts', className: 'zone-shorts', x: 0, y: 80, w: 100, h: 20 },
  { key: 'right', className: 'zone-right', x: 84, y: 38, w: 16, h: 50 },
];

export function SafeZones() {
  return (
    <svg className="safe-zones" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">
      {ZONES.map((z) => (
        <rect key={z.key} className={z.className} x={z.x} y={z.y} width={z.w} height={z.h} />
      ))}
      <line className="zone-centre" x1="50" y1="0" x2="50" y2="100" />
    </svg>
  );
}

export function SafeZoneLegend() {
  const { t } = useTranslation();
  return (
    <ul className="safe-legend" aria-label={t('Safe zones')}>
      <li>
        <span className="swatch zone-reels" /> {t('Instagram Reels: caption and buttons')}
      </li>
      <li>
        <span className="swatch zone-tiktok" /> {t('TikTok: caption and buttons')}
      </li>
      <li>
        <span className="swatch zone-shorts" /> {t('YouTube Shorts: title and buttons')}
      </li>
      <li>
        <span className="swatch zone-right" /> {t('Like, comment and share buttons')}
      </li>
      <li>
        <span className="swatch zone-top" /> {t('Top bar')}
      </li>
    </ul>
  );
}
