from pepctl.cli import script

script()
