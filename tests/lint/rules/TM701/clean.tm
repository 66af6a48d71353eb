process web "Web" { public: true, iac: ["aws_lb.web"] }
server app "App" { iac: ["aws_instance.app", "aws_instance.app[1]"] }
