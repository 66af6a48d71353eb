# imported by clean.tm: findings about unused things are not blamed on it
process spare "Shared spare"
