"""The GitHub adapter: REST client, pull request facts, publishing the verdict.

Only the commands that talk to GitHub (gate, sla, remind, next --open-prs)
import this package; the core never does. It needs the ``github`` extra
(``pip install 'pepctl[github]'``).
"""
