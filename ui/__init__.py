"""The dermassist web app (Gradio). ``create_app`` builds it; ``launch`` serves it."""
