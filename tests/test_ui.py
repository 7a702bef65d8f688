import pytest

from tests.conftest import REPO


@pytest.fixture
def served(fake_assistant, fake_settings):
    from ui.app import launch

    settings = fake_settings.model_copy(update={"port": 0})
    demo = launch(settings, block=False, assistant=fake_assistant)
    yield demo
    demo.close()


def test_create_app_imports_gradio_lazily():
    import subprocess
    import sys

    code = "import sys, ui.app; print('gradio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_ask_and_chat_endpoints_over_http(served):
    from gradio_client import Client

    assert served.local_url.startswith("http://127.0.0.1:")
    client = Client(served.local_url, verbose=False)
    data = client.predict("Is rosacea contagious?", api_name="/ask")
    assert data["status"] == "answered" and data["citations"][0]["doc_id"] == "rosacea"
    box, history, sources, grade = client.predict("Is psoriasis contagious? <img src=x onerror=alert(1)>", [],
                                                  api_name="/chat")
    assert box == ""
    user_text = history[0]["content"][0]["text"] if isinstance(history[0]["content"], list) else history[0]["content"]
    assert "<img" not in user_text and "&lt;img" in user_text
    bot = history[1]["content"][0]["text"] if isinstance(history[1]["content"], list) else history[1]["content"]
    assert "not contagious" in bot and "[1]" in bot
    assert "<details>" in sources and "Psoriasis" in sources and "Test Society" in sources
    assert grade.startswith("Reading grade:")


@pytest.mark.slow
def test_real_app_answers_eczema(real_assistant, real_settings):
    from gradio_client import Client
    from ui.app import launch

    demo = launch(real_settings.model_copy(update={"port": 0}), block=False, assistant=real_assistant)
    try:
        data = Client(demo.local_url, verbose=False).predict("Is eczema contagious?", api_name="/ask")
        assert "not contagious" in data["text"].lower()
        assert data["citations"][0]["doc_id"] == "atopic-dermatitis"
    finally:
        demo.close()
