"""The support assistant (tests/threats/models/assistant.tm) built directly with pytm 1.4."""

from __future__ import annotations

import pytm
from pytm import (
    LLM,
    TM,
    Actor,
    Agent,
    Boundary,
    Classification,
    Data,
    Dataflow,
    Datastore,
    DatastoreType,
    ExternalEntity,
    Lambda,
    Lifetime,
    Process,
    Server,
    SetOfProcesses,
    TLSVersion,
)  # fmt: skip


def build() -> pytm.TM:
    TM.reset()
    tm = TM("Support assistant", description="Customers chat with an assistant backed by two LLMs.")
    prompt = Data("Customer prompt", classification=Classification.RESTRICTED, isPII=True, format="JSON")
    api_key = Data("Provider API key", classification=Classification.SECRET, isCredentials=True,
                   credentialsLife=Lifetime.LONG)  # fmt: skip
    build_token = Data("Build token", isCredentials=True, credentialsLife=Lifetime.HARDCODED)
    ticket = Data("Ticket", classification=Classification.SENSITIVE, format="XML", isStored=True)
    session = Data("Session", isCredentials=True)

    internet = Boundary("Internet")
    cloud = Boundary("Cloud")
    customer = Actor("Customer", inBoundary=internet)
    partner = ExternalEntity("Partner CRM", inBoundary=internet, hasPhysicalAccess=True)

    gateway = Process("API gateway", inBoundary=cloud, implementsAPI=True, usesEnvironmentVariables=True,
                      environment="Production", allowsClientSideScripting=True)  # fmt: skip
    gateway.controls.validatesInput = True
    workers = SetOfProcesses("Workers", inBoundary=cloud, codeType="Managed")
    workers.controls.implementsPOLP = True
    app = Server("App server", inBoundary=cloud, usesSessionTokens=True, usesXMLParser=True, protocol="SOAP",
                 usesCache=True, minTLSVersion=TLSVersion.TLSv12)  # fmt: skip
    summarizer = Lambda("Summarizer", inBoundary=cloud, implementsAPI=True, environment="Production")
    kb = Datastore("Knowledge base", inBoundary=cloud, isShared=True, type=DatastoreType.AWS_S3,
                   storesPII=False, storesSensitiveData=True)  # fmt: skip
    logs = Datastore("Logs", inBoundary=cloud, storesLogData=True, maxClassification=Classification.SENSITIVE)
    logs.controls.isEncryptedAtRest = True
    model_a = LLM("Hosted model", inBoundary=cloud, hasRAG=True, processesPersonalData=True,
                  hasAgentCapabilities=True, hasAccessToSensitiveSystems=True, executesCode=True,
                  hasFineTuning=True)  # fmt: skip
    model_b = LLM("Filtered model", inBoundary=cloud, isThirdParty=False, isSelfHosted=True,
                  hasContentFiltering=True, processesUntrustedInput=False, hasSystemPrompt=False)  # fmt: skip
    helper = Agent("Helper agent", inBoundary=cloud, usesExternalTools=True)
    legacy = Process("Legacy feed", inBoundary=cloud, inScope=False)

    chat = Dataflow(customer, gateway, "Chat", protocol="HTTPS", dstPort=443, tlsVersion=TLSVersion.TLSv13)
    chat.data = [prompt, session]
    chat.controls.isEncrypted = True
    chat.controls.authenticatesSource = True
    forward = Dataflow(gateway, app, "Forward", protocol="HTTP", usesSessionTokens=True)
    forward.data = [prompt, ticket]
    answer = Dataflow(app, gateway, "Answer", responseTo=forward)
    answer.data = [ticket]
    complete = Dataflow(app, model_a, "Complete", tlsVersion=TLSVersion.TLSv11)
    complete.data = [prompt, api_key]
    complete.controls.isEncrypted = True
    Dataflow(app, kb, "Lookup", data=[ticket])
    Dataflow(summarizer, model_b, "Summarise", data=[build_token])
    Dataflow(helper, partner, "Sync", data=[ticket], usesVPN=True)
    Dataflow(workers, logs, "Write logs", data=[prompt])
    Dataflow(legacy, app, "Old feed", data=[ticket])
    return tm
