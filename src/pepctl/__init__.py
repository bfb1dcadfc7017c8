"""pepctl: run a PEP (enhancement proposal) process end to end.

The public API, importable from here: ``Document`` (lossless file model),
``Pep`` (typed view), ``Config``/``load_config``, ``Policy`` and ``Corpus``; the linter is
``pepctl.lint.lint`` (``pepctl.lint`` is its module, so it cannot also be the function here).
Names resolve on first use so that ``import pepctl`` stays cheap.
"""

__version__ = "0.1.0"

_API = {
    "Document": "pepctl.document",
    "DocumentError": "pepctl.document",
    "Pep": "pepctl.model",
    "Config": "pepctl.config",
    "ConfigError": "pepctl.config",
    "load_config": "pepctl.config",
    "Policy": "pepctl.policy",
    "Corpus": "pepctl.corpus",
}

__all__ = ["__version__", *_API]


def __getattr__(name):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'pepctl' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
