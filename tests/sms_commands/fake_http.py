"""What ``urllib.request.urlopen`` returns in the SMS tests: a body to read, usable in a ``with`` block."""

import io


class Answer(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
