"""Office copier scans (issue 16): pages turned any quarter turn whatever their layout,
and red seals that must not hide the black text under them."""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

from fixtures.generator.copier import seal_mask, stamp
from fixtures.generator.degrade import JpegPdfWriter, encode_jpeg
from pipeline.image.rasterize import PageImage, gray_dropping_red, iter_image_pages, iter_pdf_pages
from pipeline.image.straighten import correct_orientation, rotate_quarter

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def centred_form(dpi: int = 150) -> np.ndarray:
    """A landscape form whose table fills the page, its labels centred and its numbers
    right-aligned in their cells, as forms made in Excel are: where text sits in its
    cells and on the page says nothing about which way is up (the layout measures read
    it upside down), only the glyphs do."""
    w, h = int(11.69 * dpi), int(8.27 * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, int(0.13 * dpi))
    draw.text((w / 2, 0.35 * dpi), "项目支出绩效自评表", font=ImageFont.truetype(FONT, int(0.22 * dpi)),
              fill=0, anchor="mm")
    margin, top, rows = int(0.4 * dpi), int(0.6 * dpi), 16
    xs = [margin + int(c * (w - 2 * margin)) for c in (0, 0.14, 0.30, 0.50, 0.62, 0.74, 0.86, 1.0)]
    ys = np.linspace(top, h - margin, rows + 1).astype(int)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=2)
    labels = ["产出指标", "数量指标", "新建道路长度", "效益指标", "社会效益", "群众满意度", "成本指标"]
    rng = np.random.default_rng(3)
    for r in range(rows):
        cy = (ys[r] + ys[r + 1]) / 2
        for c in range(len(xs) - 1):
            if c < 3:
                draw.text(((xs[c] + xs[c + 1]) / 2, cy), labels[(r + c) % len(labels)], font=font,
                          fill=0, anchor="mm")
            else:
                draw.text((xs[c + 1] - 0.05 * dpi, cy), f"{rng.uniform(1, 999):.2f}", font=font,
                          fill=0, anchor="rm")
    return np.asarray(img, np.uint8).copy()


@pytest.mark.parametrize("turned", [0, 90, 180, 270])
def test_centred_landscape_form_comes_back_upright(turned: int) -> None:
    page = PageImage(1, rotate_quarter(centred_form(), turned), 150)
    out, report = correct_orientation(page)
    assert report["rotation_deg"] == (360 - turned) % 360
    assert report["method"] == "classifier"
    assert out.width > out.height  # landscape again


def seal_over_text(dpi: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A colour page (RGB) with black text and a red seal stamped over it, the mask of
    the text's ink and the seal's."""
    w, h = int(4 * dpi), int(2 * dpi)
    text = Image.new("L", (w, h), 255)
    ImageDraw.Draw(text).text((0.3 * dpi, 0.7 * dpi), "填报单位：某某县财政局",
                              font=ImageFont.truetype(FONT, int(0.25 * dpi)), fill=0)
    gray = np.asarray(text, np.float32)
    paper = np.array([246.0, 241.0, 226.0], np.float32)  # tinted paper
    rgb = (20.0 + gray[:, :, None] / 255.0 * (paper - 20.0)).astype(np.float32)
    cov = np.ones((h, w, 1), np.float32)  # 1 - the seal's coverage, once stamped
    seal = seal_mask("某某县财政局", dpi, np.random.default_rng(1))
    stamp(cov, seal, np.zeros(1, np.float32), 0.55 * w, 0.5 * h)  # where the seal's ink lies
    stamp(rgb, seal, np.array([205.0, 35.0, 45.0], np.float32), 0.55 * w, 0.5 * h)
    return np.clip(rgb, 0, 255).astype(np.uint8), gray < 128, cov[:, :, 0] < 0.5


def test_red_seal_goes_to_paper_black_text_stays() -> None:
    rgb, text, red_ink = seal_over_text()
    assert red_ink.sum() > 5000 and (red_ink & text).sum() > 200  # a seal, some over the text
    gray = gray_dropping_red(rgb, "RGB")
    luma = np.asarray(Image.fromarray(rgb).convert("L"), np.int32)
    # The seal's ink: dark gray as plain luma, paper once dropped.
    seal_only = red_ink & ~text
    assert np.median(luma[seal_only]) < 120
    assert np.median(gray[seal_only]) > 225
    # The text under and beside it: as dark as before.
    assert np.median(gray[text]) < 60
    assert np.median(gray[text & red_ink]) < 90
    # A page without red: its luma (Pillow's and OpenCV's round a level apart at most).
    plain = np.stack([text.astype(np.uint8) * 0 + 200] * 3, axis=2)
    plain[text] = (20, 30, 90)  # blue pen
    diff = gray_dropping_red(plain, "RGB").astype(int) - np.asarray(Image.fromarray(plain).convert("L"))
    assert np.abs(diff).max() <= 1


def pixels_at(gray: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    return gray[np.minimum(ys.astype(int), gray.shape[0] - 1), np.minimum(xs.astype(int), gray.shape[1] - 1)]


@pytest.mark.parametrize("native_dpi", [200, 300])  # rendered at 300 dpi / its own pixels
def test_colour_scan_pdf_and_jpeg_lose_the_seal(tmp_path, native_dpi: int) -> None:
    rgb, text, red = seal_over_text(native_dpi)
    pdf_path = tmp_path / "scan.pdf"
    h, w = rgb.shape[:2]
    with open(pdf_path, "wb") as fh, JpegPdfWriter(fh) as writer:
        writer.add_page(encode_jpeg(rgb, 85), w, h, w * 72 / native_dpi, h * 72 / native_dpi, gray=False)
    page = next(iter_pdf_pages(pdf_path, 300))
    jpg_path = tmp_path / "scan.jpg"
    jpg_path.write_bytes(encode_jpeg(rgb, 85, dpi=native_dpi))
    photo = next(iter_image_pages(jpg_path))
    for gray, dpi in ((page.image, 300), (photo.image, native_dpi)):
        scale = dpi / native_dpi
        ys, xs = np.nonzero(text)
        ry, rx = np.nonzero(red & ~text)
        assert np.median(pixels_at(gray, ry * scale, rx * scale)) > 215
        assert np.median(pixels_at(gray, ys * scale, xs * scale)) < 90
    # Pillow's own decode is the same colour: the PDF's embedded image as a check.
    assert pdfium.PdfDocument(str(pdf_path))[0].get_size()[0] == pytest.approx(w * 72 / native_dpi)
    assert Image.open(io.BytesIO(jpg_path.read_bytes())).mode == "RGB"


def test_straighten_settings_reach_the_orientation(tmp_path) -> None:
    """The tuning numbers come from config/tuning.yaml through Settings.tuning: a
    --config folder asking the classifier for more lines than a page has leaves the
    decision to the layout measures."""
    from pipeline.settings import Settings
    from pipeline.tuning import StraightenSettings

    assert Settings().tuning.straighten == StraightenSettings()
    (tmp_path / "tuning.yaml").write_text("straighten:\n  classifier_min_lines: 99\n", encoding="utf-8")
    strict = Settings(config_dir=tmp_path).tuning.straighten
    assert strict.classifier_min_lines == 99 and strict.classifier_min_vote == StraightenSettings().classifier_min_vote
    page = PageImage(1, rotate_quarter(centred_form(), 90), 150)
    _, report = correct_orientation(page, settings=strict)
    assert report["method"] == "layout" and report["classifier"]["lines"] <= 12
    _, report = correct_orientation(page)
    assert report["method"] == "classifier" and report["rotation_deg"] == 270
