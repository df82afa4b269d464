"""Product photos uploaded in the back office, served from the instance folder (or PRODUCT_IMAGE_DIR)."""
import re
from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("product_images", __name__)
NAME = re.compile(r"^[a-z0-9-]{1,100}\.(png|jpg|webp)$")


@bp.get("/product-images/<filename>")
def image(filename):
    if not NAME.match(filename):
        abort(404)
    folder = Path(current_app.config.get("PRODUCT_IMAGE_DIR") or Path(current_app.instance_path) / "product-images")
    # The names are ours (slug + random hex), so a new photo is a new address: cache it for a year.
    return send_from_directory(folder, filename, max_age=31536000)
