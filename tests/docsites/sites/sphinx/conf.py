project = "tmdiag test site"
extensions = ["tmdiag.docsites.sphinx"]
tmdiag_link_prefix = "report/report.html"
