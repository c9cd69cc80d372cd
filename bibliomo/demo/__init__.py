"""The demo: builders of every part through the services, with their data, run by
`bibliomo demo` (`bibliomo/site/management/commands/demo.py`). `timeline.py` is the demo's
clock: which years are built and when each thing happened, relative to today."""
