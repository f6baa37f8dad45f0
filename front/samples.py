"""Sample code for a model's page: the OpenAI-compatible API in three languages,
highlighted on the server so the page needs no highlighting script."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from catalog import ids

QUESTION = "What is the meaning of life?"
# OpenRouter's documentation of the request and of its parameters.
REQUEST_DOCS = "https://openrouter.ai/docs/api-reference/overview"
PARAMETER_DOCS = "https://openrouter.ai/docs/api-reference/parameters"

PYTHON = """\
import os

from openai import OpenAI

client = OpenAI(
    base_url={base_url},
    api_key=os.environ[{key_env}],
)

completion = client.chat.completions.create(
    extra_headers={{
        "HTTP-Referer": "<YOUR_SITE_URL>",  # Optional: your site, for OpenRouter's rankings.
        "X-Title": "<YOUR_SITE_NAME>",  # Optional: your app's name, for the rankings.
    }},
    model={model},
    messages=[{{"role": "user", "content": {question}}}],
)
print(completion.choices[0].message.content)
"""

TYPESCRIPT = """\
import OpenAI from "openai";

const client = new OpenAI({{
  baseURL: {base_url},
  apiKey: process.env[{key_env}],
  defaultHeaders: {{
    "HTTP-Referer": "<YOUR_SITE_URL>", // Optional: your site, for OpenRouter's rankings.
    "X-Title": "<YOUR_SITE_NAME>", // Optional: your app's name, for the rankings.
  }},
}});

const completion = await client.chat.completions.create({{
  model: {model},
  messages: [{{ role: "user", content: {question} }}],
}});
console.log(completion.choices[0].message.content);
"""

CURL = """\
curl {url} \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer ${key_env}" \\
  -H "HTTP-Referer: <YOUR_SITE_URL>" \\
  -H "X-Title: <YOUR_SITE_NAME>" \\
  -d '{body}'
"""


@dataclass(frozen=True)
class Sample:
    """One tab: a language, its plain code (for copying) and highlighted markup."""

    key: str
    label: str
    code: str
    html: SafeString


def _shell_single_quoted(text: str) -> str:
    # Inside '...' only a single quote needs care: close, escape it, reopen.
    return text.replace("'", "'\\''")


# Stands in for the model's id in samples highlighted once (a valid id itself).
STAND_IN = "author0/model0"


def sample_code(model_slug: str) -> tuple[Sample, ...]:
    """Python (OpenAI SDK), TypeScript (openai) and curl calls of this model."""
    base_url = settings.SAMPLE_CODE_BASE_URL.rstrip("/")
    key_env = settings.SAMPLE_CODE_KEY_ENV
    if not ids.is_model_id(model_slug):
        return _samples(model_slug, base_url, key_env)
    # Highlighting costs ~15 ms a page, and a model's first page view would pay
    # it: the samples are highlighted once around a stand-in, then each model's id
    # goes in. The id rule admits no character that a JSON or shell string, or
    # HTML, would escape, so the id sits in the markup as it sits in the code.
    return tuple(
        Sample(
            sample.key,
            sample.label,
            sample.code.replace(STAND_IN, model_slug),
            mark_safe(sample.html.replace(STAND_IN, model_slug)),  # noqa: S308
        )
        for sample in _samples(STAND_IN, base_url, key_env)
    )


@functools.lru_cache(maxsize=64)
def _samples(model_slug: str, base_url: str, key_env: str) -> tuple[Sample, ...]:
    # json.dumps quotes and escapes the values, valid in both Python and TypeScript.
    quoted = {
        "base_url": json.dumps(base_url),
        "key_env": json.dumps(key_env),
        "model": json.dumps(model_slug),
        "question": json.dumps(QUESTION),
    }
    body = json.dumps(
        {"model": model_slug, "messages": [{"role": "user", "content": QUESTION}]},
        indent=2,
    )
    sources = [
        ("python", "Python", PYTHON.format(**quoted), "python"),
        ("typescript", "TypeScript", TYPESCRIPT.format(**quoted), "typescript"),
        (
            "curl",
            "curl",
            CURL.format(
                url=f"{base_url}/chat/completions",
                key_env=key_env,
                body=_shell_single_quoted(body),
            ),
            "bash",
        ),
    ]
    formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)
    samples = []
    for key, label, code, lexer in sources:
        html = highlight(code, get_lexer_by_name(lexer), formatter)
        # Pygments escapes every token it emits, so its output is safe markup.
        samples.append(Sample(key, label, code, mark_safe(html)))  # noqa: S308
    return tuple(samples)
