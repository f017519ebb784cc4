// Photo and logo conversion for the cloud, checked by decoded pixels: orientation (EXIF, HEIC
// irot), colour profiles to sRGB (JPEG and HEIC tagged Display P3), cover-and-crop to the frame,
// transparency on black, logos at exact size with transparency, SVG rasterised, bad files named.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { fitPhotoToFrame, heifColour, photoThumbnail, probePhoto } from '../../node/media/photo';
import { probeLogo, renderLogoPng } from '../../node/media/logo-image';
import { makeHeic } from '../fixtures/heic';
import { displayP3, makeExif6Jpeg, makeLogoPng, makeLogoSvg, makeRotatedHeic, QUADRANTS } from '../fixtures/photos';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'hospup-photo-unit-')); });
after(() => rm(dir, { recursive: true, force: true }));

async function pixels(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { info, at: (x: number, y: number): number[] => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + info.channels)] };
}
const near = (a: number[], b: number[], tolerance: number) => b.every((v, i) => Math.abs(a[i] - v) <= tolerance);

describe('photos', () => {
  it('a JPEG with EXIF orientation 6 is read upright and fitted to the frame by cover + centre crop', async () => {
    const file = await makeExif6Jpeg(dir, 'exif6', { width: 300, height: 400 });
    assert.deepEqual(await probePhoto(file), { format: 'jpeg', width: 300, height: 400, orientation: 6, hasAlpha: false, hasProfile: true });
    const { info, at } = await pixels(await fitPhotoToFrame(file, { width: 90, height: 160 }));
    assert.deepEqual([info.width, info.height, info.channels], [90, 160, 3]);
    assert.ok(near(at(2, 2), QUADRANTS.topLeft, 12) && near(at(87, 2), QUADRANTS.topRight, 12));
    assert.ok(near(at(2, 157), QUADRANTS.bottomLeft, 12) && near(at(87, 157), QUADRANTS.bottomRight, 12));
  });

  it('a HEIC is decoded with its container rotation (irot) applied', async () => {
    const file = await makeRotatedHeic(dir, 'rot', { width: 48, height: 64 });
    assert.deepEqual(await probePhoto(file), { format: 'heif', width: 48, height: 64, orientation: 1, hasAlpha: false, hasProfile: false });
    const { at } = await pixels(await fitPhotoToFrame(file, { width: 48, height: 64 }));
    assert.ok(near(at(4, 4), QUADRANTS.topLeft, 20), `top-left ${at(4, 4)}`);
    assert.ok(near(at(43, 59), QUADRANTS.bottomRight, 20), `bottom-right ${at(43, 59)}`);
  });

  it('Display P3 photos (JPEG ICC, HEIC colr prof) come out in sRGB', async () => {
    const { icc, stored } = await displayP3([255, 0, 0]);
    assert.ok(!near(stored, [255, 0, 0], 12), `P3 stores sRGB red as something else (${stored})`);
    const jpeg = join(dir, 'p3.jpg');
    await writeFile(jpeg, await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 255, g: 0, b: 0 } } }).withIccProfile('p3').jpeg({ quality: 100 }).toBuffer());
    assert.ok(near((await pixels(await fitPhotoToFrame(jpeg, { width: 32, height: 32 }))).at(16, 16), [255, 0, 0], 8));
    const rgb = Buffer.alloc(32 * 32 * 3);
    for (let i = 0; i < 32 * 32; i++) rgb.set(stored, i * 3);
    const heic = await makeHeic(dir, 'p3', { rgb, width: 32, height: 32, icc });
    assert.ok(heifColour(await sharp(jpeg).toBuffer()).icc === undefined);
    assert.equal((await probePhoto(heic)).hasProfile, true);
    const converted = (await pixels(await fitPhotoToFrame(heic, { width: 32, height: 32 }))).at(16, 16);
    assert.ok(near(converted, [255, 0, 0], 16), `HEIC P3 red became ${converted}`);
  });

  it('thumbnails are JPEGs of the upright photo', async () => {
    const file = await makeExif6Jpeg(dir, 'thumb', { width: 300, height: 400 });
    const thumb = await photoThumbnail(file, 120);
    const meta = await sharp(thumb).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 120, 160]);
  });

  it('unreadable and unsupported files are named with what is wrong', async () => {
    const broken = join(dir, 'broken.jpg');
    await writeFile(broken, 'not a jpeg');
    await assert.rejects(probePhoto(broken), /^PhotoError: cannot read the photo broken\.jpg: not an image it can read/);
    const gif = join(dir, 'anim.gif');
    await writeFile(gif, await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } }).gif().toBuffer());
    await assert.rejects(probePhoto(gif), /cannot read the photo anim\.gif: gif images are not supported \(JPEG, PNG, WebP or HEIC\)/);
    await assert.rejects(probePhoto(join(dir, 'nope.heic')), /cannot read the photo nope\.heic: file not found/);
  });
});

describe('logos', () => {
  it('a PNG logo keeps its transparency at exactly the size asked', async () => {
    const file = await makeLogoPng(dir, 'logo', { width: 60, height: 30 }, 5);
    const { info, at } = await pixels(await renderLogoPng(file, { width: 36, height: 18 }));
    assert.deepEqual([info.width, info.height, info.channels], [36, 18, 4]);
    assert.equal(at(0, 0)[3], 0, 'margin transparent');
    assert.deepEqual(at(18, 9), [255, 255, 255, 255]);
  });

  it('an SVG logo is rasterised, transparent around its shape', async () => {
    const file = await makeLogoSvg(dir, 'logo', { width: 60, height: 30 }, 5);
    assert.deepEqual(await probeLogo(file), { width: 60, height: 30, format: 'svg', hasAlpha: true });
    const { info, at } = await pixels(await renderLogoPng(file, { width: 240, height: 120 }));
    assert.deepEqual([info.width, info.height], [240, 120]);
    assert.equal(at(2, 2)[3], 0);
    assert.deepEqual(at(120, 60), [255, 255, 255, 255]);
  });

  it('a broken logo is named', async () => {
    const broken = join(dir, 'broken.svg');
    await writeFile(broken, '<svg');
    await assert.rejects(probeLogo(broken), /^LogoError: cannot read the logo broken\.svg/);
  });
});
