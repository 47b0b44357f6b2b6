import OneCheckCommands
OneCheck.main()
