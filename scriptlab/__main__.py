from scriptlab.cli import main

main()
