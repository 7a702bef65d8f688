"""Theme and CSS: system fonts only (nothing fetched from the internet), a prominent triage banner."""

from __future__ import annotations

SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]

CSS = """
.app-header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .6rem 1rem; margin-bottom: .4rem; }
.app-header h1 { margin: 0; font-size: 1.6rem; }
.pill { display: inline-block; padding: .1rem .6rem; border-radius: 999px; font-size: .85rem;
        border: 1px solid #9ca3af; }
.pill-offline { background: #dcfce7; border-color: #16a34a; color: #14532d; }
.pill-online { background: #fef3c7; border-color: #d97706; color: #78350f; }
.triage-banner { border-radius: 8px; padding: .8rem 1rem; margin: .4rem 0; border: 3px solid; font-size: 1.05rem; }
.triage-banner .banner-title { display: block; font-size: 1.2rem; margin: 0 0 .3rem 0; }
.safety-card { box-shadow: 0 2px 10px rgba(0, 0, 0, .18); }
.safety-card .card-icon { margin-right: .4rem; }
.safety-card a.tel { font-weight: 700; color: inherit; text-decoration: underline; padding: 0 .15rem; }
.banner-emergency { background: #fee2e2; border-color: #b91c1c; color: #7f1d1d; }
.banner-crisis { background: #ede9fe; border-color: #6d28d9; color: #3b0764; }
.banner-doctor { background: #fef3c7; border-color: #b45309; color: #78350f; }
.banner-info { background: #e0f2fe; border-color: #0369a1; color: #0c4a6e; font-size: 1rem; }
.grade-badge { display: inline-block; padding: .15rem .6rem; border-radius: 6px; font-size: .9rem; }
.grade-ok { background: #dcfce7; color: #14532d; }
.grade-high { background: #fef3c7; color: #78350f; }
details.citation { border: 1px solid #d1d5db; border-radius: 6px; padding: .3rem .6rem; margin: .3rem 0; }
details.citation summary { cursor: pointer; font-weight: 600; }
pre.redacted { white-space: pre-wrap; word-break: break-word; font-family: ui-monospace, monospace;
               max-height: 28rem; overflow: auto; padding: .6rem; border: 1px solid #d1d5db; border-radius: 6px; }
mark.phi { background: #fde68a; color: #78350f; font-weight: 700; padding: 0 .15rem; border-radius: 3px; }
.explanation table, .quality table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
.explanation th, .explanation td, .quality th, .quality td { border: 1px solid #d1d5db; padding: .3rem .5rem;
                                                              text-align: left; vertical-align: top; }
.error-box { background: #fee2e2; border: 2px solid #b91c1c; border-radius: 6px; padding: .5rem .8rem; }
footer .show-api, footer .settings, footer a, footer button { color: #4b5563 !important; }
button[role="tab"].selected { color: #9a3412 !important; border-color: #9a3412 !important; }
.or { color: #4b5563 !important; }
.sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
           clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
::placeholder { color: #6b7280 !important; opacity: 1; }
:focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px; }
.notice-card { border-radius: 8px; padding: .5rem .8rem; margin: 0 0 .6rem 0; border: 1px solid; border-left-width: 6px; }
.notice-card p { margin: .2rem 0; }
.notice-card a.tel { font-weight: 700; color: inherit; text-decoration: underline; }
/* the dock (pinned safety card and the input) stays at the bottom of the screen while the chat scrolls; gradio's
   container hides overflow, which would make it the sticky element's scroller: clip (no scroller) instead */
.gradio-container { overflow: visible !important; overflow-x: clip !important; }
#dock { position: sticky; bottom: 0; z-index: 20; background: var(--background-fill-primary); padding: .3rem 0;
        gap: .3rem; }
#dock .safety-card { max-height: 45vh; overflow-y: auto; margin: 0; }
#dismiss-card { align-self: flex-end; width: auto; }
.findings-scroll, .explanation .table-wrap { overflow-x: auto; max-width: 100%; }
@media (max-width: 640px) {
  .app-header h1 { font-size: 1.15rem; }
  .app-header + p { display: none; }
  .app-header { margin-bottom: 0; gap: .2rem .5rem; }
  .app-header .pill { font-size: .75rem; padding: 0 .4rem; }
  #staff-link { font-size: .8rem; }
  #chatbot { height: auto !important; min-height: 14rem; max-height: none !important; }
  #chatbot .bubble-wrap, #chatbot > div { overflow: visible !important; height: auto !important;
                                          max-height: none !important; }
  .explanation table, .quality table { display: block; overflow-x: auto; white-space: normal; }
  .explanation td, .explanation th, .quality td, .quality th { min-width: 7rem; }
  .gradio-container { padding-left: .4rem !important; padding-right: .4rem !important; }
  #dock .safety-card { max-height: 35vh; }
}
.warn-box { background: #fef3c7; border: 2px solid #b45309; border-radius: 6px; padding: .5rem .8rem; }
"""

# Keyboard paths: in the report box Ctrl+Enter (Cmd+Enter on a Mac) explains; in the chat Enter sends and
# Shift+Enter starts a new line (gradio's own behaviour for a one-line box that grows).
KEYS_JS = """<script>
window.dermassistKeys = true;
document.addEventListener('keydown', function (e) {
  if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || !e.target || !e.target.closest) return;
  if (e.target.closest('#report-text')) {
    e.preventDefault();
    var go = document.querySelector('#explain');
    if (go && !go.disabled) go.click();
  }
}, true);
</script>"""


def make_theme():
    """gr.themes.Default with system fonts only (no web fonts to download)."""
    import gradio as gr

    # the default orange primary button has 3.5:1 contrast with white text; this darker one has 7:1 (WCAG AA)
    return gr.themes.Default(font=SYSTEM_FONTS, font_mono=MONO_FONTS).set(
        button_primary_background_fill="#9a3412", button_primary_background_fill_hover="#7c2d12",
        button_primary_background_fill_dark="#9a3412", button_primary_text_color="#ffffff",
        button_primary_text_color_dark="#ffffff")
