-- The audit tables' restricted grants after every migrate (docs/operations.md,
-- "Audit-table privileges"); idempotent.
REVOKE ALL ON audit_auditentry FROM kinsight_app;
GRANT SELECT, INSERT ON audit_auditentry TO kinsight_app;
REVOKE ALL ON audit_auditsubject FROM kinsight_app;
GRANT SELECT, INSERT ON audit_auditsubject TO kinsight_app;
GRANT SELECT, INSERT, UPDATE ON audit_auditchainhead TO kinsight_app;
GRANT USAGE ON SEQUENCE audit_auditentry_id_seq, audit_auditsubject_id_seq TO kinsight_app;
REVOKE ALL ON audit_auditcheckpoint FROM kinsight_app;
GRANT SELECT ON audit_auditcheckpoint TO kinsight_app;
