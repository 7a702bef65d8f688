"""dermassist: a plain-language dermatology assistant grounded in vetted guidance.

Importing this package is cheap: heavy libraries (torch, transformers, faiss, gradio, ragas) are
imported inside the functions that need them.
"""

__version__ = "0.1.0"

DISCLAIMER = (
    "dermassist gives general education, not a diagnosis or treatment plan. "
    "Talk to your own doctor or nurse about your skin."
)
