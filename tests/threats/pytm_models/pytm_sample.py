"""pytm's own sample model (OWASP/pytm, tm.py: a web-based comment system) as a pytm script.

Differences from upstream, all needed for pytm 1.4: controls are set on `element.controls`
(upstream's `web.isHardened = True` is accepted silently by pytm 1.4's pydantic models and
changes nothing), the misspelt `classifcation=` is left out (it meant nothing either), and the
script builds the model instead of calling `tm.process()` (which reads sys.argv).
"""

from __future__ import annotations

import pytm
from pytm import TM, Actor, Boundary, Classification, Data, Dataflow, Datastore, Lambda, Server


def build() -> pytm.TM:
    TM.reset()
    tm = TM("my test tm", description="A sample threat model of a very simple system - a web-based comment system.")
    tm.isOrdered = True
    tm.mergeResponses = True

    internet = Boundary("Internet")
    server_db = Boundary("Server/DB")
    vpc = Boundary("AWS VPC")

    user = Actor("User", inBoundary=internet)

    web = Server("Web Server", OS="Ubuntu", sourceFiles=["pytm/json.py", "docs/template.md"])
    web.controls.isHardened = True
    web.controls.sanitizesInput = False
    web.controls.encodesOutput = True
    web.controls.authorizesSource = False

    db = Datastore("SQL Database", OS="CentOS", inBoundary=server_db, isSQL=True, inScope=True)
    db.controls.isHardened = False
    db.maxClassification = Classification.RESTRICTED

    secret_db = Datastore("Real Identity Database", OS="CentOS", inBoundary=server_db, isSQL=True,
                          storesPII=True, sourceFiles=["pytm/pytm.py"])  # fmt: skip
    secret_db.controls.isHardened = True
    secret_db.maxClassification = Classification.TOP_SECRET

    cleaner = Lambda("AWS Lambda", inBoundary=vpc)
    cleaner.controls.hasAccessControl = True

    token = Data("Token verifying user identity", classification=Classification.SECRET)
    verify = Dataflow(db, secret_db, "Database verify real user identity", protocol="RDA-TCP", dstPort=40234)
    verify.data = token
    verify.note = "Verifying that the user is who they say they are."
    verify.maxClassification = Classification.SECRET

    comments = Data("Comments in HTML or Markdown", classification=Classification.PUBLIC)
    enter = Dataflow(user, web, "User enters comments (*)", protocol="HTTP", dstPort=80)
    enter.data = comments
    enter.note = "This is a simple web app that stores and retrieves user comments."

    query = Data("Insert query with comments", classification=Classification.PUBLIC)
    insert = Dataflow(web, db, "Insert query with comments", protocol="MySQL", dstPort=3306)
    insert.data = query

    retrieved = Data("Web server retrieves comments from DB", classification=Classification.PUBLIC)
    retrieve = Dataflow(db, web, "Retrieve comments", protocol="MySQL", dstPort=80)
    retrieve.data = retrieved
    retrieve.responseTo = insert

    shown = Data("Web server shows comments to the end user")
    show = Dataflow(web, user, "Show comments (*)", protocol="HTTP")
    show.data = shown
    show.responseTo = enter

    clear_op = Data("Serverless function clears DB", classification=Classification.PUBLIC)
    clean = Dataflow(cleaner, db, "Serverless function periodically cleans DB", protocol="MySQL", dstPort=3306)
    clean.data = clear_op

    Data("User ID Token", classification=Classification.TOP_SECRET, processedBy=[db, secret_db],
         description="Some unique token that represents the user real data in the secret database")  # fmt: skip
    return tm
