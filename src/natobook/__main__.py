from natobook.cli import main

main()
