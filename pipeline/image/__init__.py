"""Scanned and photographed pages: rasterize, straighten, find ruling lines, debug pictures.

Conventions for the whole package: images are grayscale ``uint8`` arrays (H, W) with
0 = black ink and 255 = white paper; coordinates are pixels at the page's ``dpi``,
top-left origin, y growing downwards; angles are degrees, positive = counter-clockwise
as the image is displayed (the convention of ``cv2.getRotationMatrix2D`` and of
``fixtures/generator/degrade.py``).
"""
