import { useTranslation } from '../i18n/use-translation';
import { FONT_FAMILIES } from '../../../shared/fonts/catalog';
import { useApp } from '../store/app-store';
import { useEditor } from '../store/editor-store';
import { applyBrandLogo, clearBrandLogo, setBrandLogo, updateBrandKit } from '../app/session';
import { pickFiles } from './pick-files';
import { Modal } from './Modal';

/** The hotel's brand kit, kept once in the app: logo (PNG/SVG with transparency), colours, fonts. */
export function BrandKitDialog() {
  const { t } = useTranslation();
  const kit = useApp((s) => s.brandKit);
  const hasProject = useEditor((s) => s.meta !== null);
  const close = () => useApp.getState().setDialog('none');
  const colours = kit?.colours ?? [];
  const fonts = kit?.fonts ?? [];
  return (
    <Modal title={t('Brand kit')} onClose={close}>
      <section className="field">
        <h3>{t('Logo')}</h3>
        {kit?.logo ? (
          <div className="field-row">
            <img className="brand-logo-preview" src={kit.logo.previewDataUrl} alt={t('Logo: {{name}}', { name: kit.logo.name })} data-testid="brand-logo-preview" />
            <div>
              <p className="inspector-name">{kit.logo.name}</p>
              <p className="muted">{kit.logo.format.toUpperCase()} · {Math.round(kit.logo.width)}×{Math.round(kit.logo.height)}</p>
            </div>
          </div>
        ) : (
          <p className="muted">{t('No logo yet. A PNG or SVG with a transparent background works best.')}</p>
        )}
        <div className="field-row">
          <button
            type="button"
            className="btn small"
            onClick={() => void pickFiles({ multiple: false, accept: 'image/png,image/svg+xml,.png,.svg' }).then((files) => files[0] && setBrandLogo(files[0]))}
          >
            {kit?.logo ? t('Change the logo') : t('Choose a logo')}
          </button>
          {kit?.logo && (
            <button type="button" className="btn small ghost" onClick={() => void clearBrandLogo()}>
              {t('Remove')}
            </button>
          )}
          {kit?.logo && hasProject && (
            <button
              type="button"
              className="btn small primary"
              onClick={() => {
                applyBrandLogo();
                close();
              }}
            >
              {t('Use it in this project')}
            </button>
          )}
        </div>
        <p className="hint">{t('New projects and templates get this logo, placed clear of the apps’ buttons and captions.')}</p>
      </section>
      <section className="field">
        <h3>{t('Colours')}</h3>
        <div className="brand-colours">
          {colours.map((c, i) => (
            <span key={`${c}-${i}`} className="brand-colour">
              <input
                type="color"
                aria-label={t('Brand colour {{colour}}', { colour: c })}
                value={c.toLowerCase()}
                onChange={(e) => void updateBrandKit({ colours: colours.map((x, j) => (j === i ? e.target.value.toUpperCase() : x)) })}
              />
              <button type="button" className="icon-btn" aria-label={t('Remove colour {{colour}}', { colour: c })} onClick={() => void updateBrandKit({ colours: colours.filter((_, j) => j !== i) })}>
                ×
              </button>
            </span>
          ))}
          {colours.length < 8 && (
            <button type="button" className="btn small" onClick={() => void updateBrandKit({ colours: [...colours, '#FFFFFF'] })}>
              {t('Add a colour')}
            </button>
          )}
        </div>
      </section>
      <section className="field">
        <h3>{t('Fonts')}</h3>
        {FONT_FAMILIES.map((f) => (
          <label key={f} className="field checkbox">
            <input
              type="checkbox"
              checked={fonts.includes(f)}
              onChange={(e) => void updateBrandKit({ fonts: e.target.checked ? [...fonts, f] : fonts.filter((x) => x !== f) })}
            />
            <span style={{ fontFamily: f }}>{f}</span>
          </label>
        ))}
        <p className="hint">{t('The first brand font is used for new texts and templates.')}</p>
      </section>
    </Modal>
  );
}
