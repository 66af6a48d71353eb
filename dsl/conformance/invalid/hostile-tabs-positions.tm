boundary	b	{
		trust:	hihg
		process	web	{	port:	"443"	}
}
