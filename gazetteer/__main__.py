"""``python -m gazetteer`` runs the command-line interface."""

from gazetteer.cli import main

raise SystemExit(main())
