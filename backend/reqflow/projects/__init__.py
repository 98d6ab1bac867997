"""Projects and their budgets; committed spend comes from sources the higher domains register."""
