model "Shop" { scope: "the shop" }
process web "Web" { public: true, ingress: ["0.0.0.0/0:443"], iac: ["aws_lb.web"] }
server debug "Debug" { public: true, ingress: ["0.0.0.0/0:8080"], iac: ["aws_instance.debug"] }
