# Tabs indent like spaces.
boundary	b	"B"	{
	trust:	high
	process	web	"Web"	{	port:	443	}
}
