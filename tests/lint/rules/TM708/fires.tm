# TM708: exposed resources no element links; reported at the model header
# expect-below: TM708 TM708
model "Shop" { scope: "the shop" }
process api "API" { iac: ["aws_instance.private"] }
