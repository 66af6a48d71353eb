boundary a { boundary b { process c { description: "never closed
