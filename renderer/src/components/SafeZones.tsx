import { useTranslation } from '../i18n/use-translation';
import { SAFE_MARGIN, VERTICAL_ZONES } from '../../../shared/safe-zones';
import type { Aspect } from '../../../shared/output-settings';

/** The apps' interface zones of a 9:16 video (shared/safe-zones.ts: the logo is kept clear of them too). */
const CLASS: Record<string, string> = { top: 'zone-top', 'bottom-reels': 'zone-reels', 'bottom-tiktok': 'zone-tiktok', 'bottom-shorts': 'zone-shorts', right: 'zone-right' };
const ZONES = VERTICAL_ZONES.map((z) => ({ ...z, className: CLASS[z.key] }));

export function SafeZones({ aspect }: { aspect: Aspect }) {
  // Other formats: the edge margin every player may cover (rounded corners, overscan).
  if (aspect !== '9:16') {
    return (
      <svg className="safe-zones" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true" data-testid="safe-margin">
        <rect className="zone-margin" x={SAFE_MARGIN} y={SAFE_MARGIN} width={100 - 2 * SAFE_MARGIN} height={100 - 2 * SAFE_MARGIN} />
        <line className="zone-centre" x1="50" y1="0" x2="50" y2="100" />
      </svg>
    );
  }
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
