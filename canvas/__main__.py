from canvas.cli.main import main

raise SystemExit(main())
