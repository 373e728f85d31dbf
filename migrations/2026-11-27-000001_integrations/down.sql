DROP TABLE sync_runs;
DROP TABLE integrations;
