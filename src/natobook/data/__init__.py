"""What NATO published, read and checked: the workbook's ingest, the tidy schema, editions, events and the numbers NATO printed elsewhere."""
