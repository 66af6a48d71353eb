# TM402 stays quiet here
data invoice "Invoice" { classification: restricted }
data logo "Logo" { classification: public }
datastore assets "Assets bucket" { kind: s3, public: true, stores: [logo] }
datastore bucket "Invoices bucket" { kind: s3, stores: [invoice], encrypted_at_rest: true }
