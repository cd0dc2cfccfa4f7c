from canvas.cli import main

raise SystemExit(main())
