actor data "Data"
process external "External"
team { true "True" developer }
