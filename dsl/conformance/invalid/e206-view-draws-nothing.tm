boundary pay "Payments" { process acct "Accounts" }
view empty "Nothing in it" { include: [] }
view all_out { include: [pay], exclude: [pay] }
view typo { include: [acc, pay], depth: -1, direction: sideways }
view nested { include: [empty] }
view missing
process view "not an id"
