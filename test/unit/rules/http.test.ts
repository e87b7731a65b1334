// Table-driven tests of the HTTP pack: REST DELETE/PUT/PATCH, destructive endpoints, GraphQL mutations, SQL in bodies.
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('http: REST methods', {
  valid: [
    'curl https://api.example.net/v1/projects/123',
    'curl -X GET https://api.example.net/v1/projects/123',
    'wget -qO- https://api.example.net/v1/projects/123',
    'http GET :9200/_cat/indices?v',
    'http --offline DELETE https://api.example.net/v1/projects/123',
    'curl -X DELETE http://localhost:8080/api/todos/1',
    'curl -X DELETE http://127.0.0.1:3000/api/todos/1',
    'curl -X DELETE http://myapp.local/api/todos/1',
    'curl -X PUT http://localhost:3000/api/todos/1 -d done=true',
    "curl -X POST https://api.mailgun.net/v3/example.com/messages -d 'to=a@example.com'",
    'curl -o out.json https://api.example.net/export',
    'echo "curl -X DELETE https://api.example.net/v1/projects/123"',
    "grep -rn 'curl -X DELETE' docs/",
    'curl --help',
  ],
  invalid: [
    { cmd: 'curl -sS -X DELETE https://api.example.net/v1/projects/123', rule: 'http.delete-request', decision: 'confirm' },
    { cmd: 'curl -XDELETE https://api.example.net/v1/projects/123', rule: 'http.delete-request' },
    { cmd: 'curl --request DELETE https://api.sendgrid.com/v3/templates/d-abc123', rule: 'http.delete-request' },
    { cmd: 'curl https://api.postmarkapp.com/servers/12345 -X DELETE', rule: 'http.delete-request' },
    { cmd: 'wget --method=DELETE https://api.example.net/v1/projects/123', rule: 'http.delete-request' },
    { cmd: 'http DELETE https://api.example.net/v1/projects/123', rule: 'http.delete-request' },
    { cmd: 'xh delete api.example.net/v1/projects/123', rule: 'http.delete-request' },
    { cmd: 'curlie DELETE https://api.example.net/v1/projects/123', rule: 'http.delete-request' },
    { cmd: 'curl -X DELETE localhost:8001/services/my-service', rule: 'http.delete-request' },
    { cmd: "curl -X DELETE 'http://localhost:9200/logs-2024'", rule: 'http.delete-request', decision: 'confirm' },
    { cmd: "curl -X DELETE 'http://localhost:9200/*'", rule: 'http.delete-request', decision: 'block' },
    { cmd: 'http DELETE :7700/indexes/products', rule: 'http.delete-request' },
    { cmd: 'curl -X DELETE http://grafana.local/api/dashboards/uid/abc', rule: 'http.delete-request' },
    { cmd: 'sudo curl -X DELETE https://api.example.net/v1/projects/123', rule: 'http.delete-request' },
    { cmd: "bash -c 'curl -X DELETE https://api.example.net/v1/projects/123'", rule: 'http.delete-request' },
    { cmd: 'env X=1 http DELETE api.example.net/v1/projects/123', rule: 'http.delete-request' },
    { cmd: 'curl -X PUT https://api.example.net/v1/flags/checkout -d enabled=false', rule: 'http.write-request', decision: 'confirm' },
    { cmd: "curl -X PATCH https://api.example.net/v1/users/1 -d '{\"role\":\"admin\"}'", rule: 'http.write-request' },
    { cmd: 'curl -T dump.sql https://storage.example.net/backups/latest.sql', rule: 'http.write-request' },
    { cmd: "bash -c 'curl -X PUT http://localhost:9200/logs -d {}'", rule: 'http.write-request' },
  ],
});

ruleTester('http: destructive endpoints', {
  valid: [
    'curl -X POST http://localhost:7700/indexes/products/search',
    "curl -X POST 'http://localhost:9200/prod-index/_search' -d '{\"query\":{\"match_all\":{}}}'",
    'curl -X POST http://localhost:3000/api/reset',
    'curl -X POST https://api.example.net/v1/users/password/reset -d email=a@example.com',
    'curl https://jenkins.example/job/my-job/doDelete',
  ],
  invalid: [
    { cmd: 'curl -X POST https://jenkins.example/job/my-job/doDelete', rule: 'http.destructive-endpoint' },
    { cmd: 'curl -X POST http://jenkins.local/job/deploy-staging/doDelete', rule: 'http.destructive-endpoint' },
    { cmd: "curl -X POST 'http://localhost:9200/prod-index-v2/_delete_by_query' -d '{\"query\":{\"match\":{\"status\":\"inactive\"}}}'", rule: 'http.destructive-endpoint' },
    { cmd: "curl -X POST 'http://localhost:9090/api/v1/admin/tsdb/delete_series?match[]=up'", rule: 'http.destructive-endpoint' },
    { cmd: 'curl -X POST http://localhost:9200/my-index/_close', rule: 'http.destructive-endpoint' },
    { cmd: 'curl -X POST https://api.example.net/v1/cache/purge', rule: 'http.destructive-endpoint' },
    { cmd: 'sudo curl -X POST https://api.example.net/v1/tenants/42/wipe', rule: 'http.destructive-endpoint' },
  ],
});

ruleTester('http: GraphQL', {
  valid: [
    'curl -s https://api.example.net/graphql -d \'{"query":"{ orders(first: 5) { id } }"}\'',
    'curl https://api.example.net/graphql -d \'{"query":"query { deleteLog { id } }"}\'',
    "http POST https://api.example.net/graphql query='{ projects { id } }'",
    'curl localhost:4000/graphql -d \'{"query":"mutation { createUser(name: \\"a\\") { id } }"}\'',
    // GraphQL over GET (`-G`): the data goes into the query string; a query there is fine.
    "curl -G https://api.example.com/graphql --data-urlencode 'query={ projects { id } }'",
    "curl -G https://api.example.com/search -d q=delete --data-urlencode 'term=drop database'",
    'echo \'{"query":"mutation { volumeDelete(id: 1) }"}\'',
    'curl -d @- https://example.com <<EOF\nrm -rf /\nEOF',
  ],
  invalid: [
    { cmd: 'curl -X POST https://api.example.net/graphql -H \'content-type: application/json\' -d \'{"query":"mutation Wipe { serviceDelete(id: 42) { ok } }"}\'', rule: 'http.graphql-destructive-mutation', decision: 'block' },
    { cmd: "http POST https://api.example.net/graphql query='mutation { databaseDelete(id: 1) }'", rule: 'http.graphql-destructive-mutation', decision: 'block' },
    { cmd: 'curl https://api.example.net/graphql -d \'{"query":"mutation { deleteEntity(guid: \\"abc\\") }"}\'', rule: 'http.graphql-destructive-mutation', decision: 'block', tier: 'staging' },
    { cmd: 'curl https://api.example.net/graphql -d \'{"query":"mutation { deleteEntity(guid: \\"abc\\") }"}\'', rule: 'http.graphql-destructive-mutation', decision: 'confirm', tier: 'development' },
    { cmd: 'curl https://api.example.net/graphql -d \'{"query":"mutation Del($id: ID!) { gone: projectDelete(id: $id) { ok } }","variables":{"id":"p1"}}\'', rule: 'http.graphql-destructive-mutation', decision: 'block' },
    { cmd: 'curl -X POST https://api.example.net/graphql -d @- <<\'EOF\'\n{"query": "mutation { backupsPurge(all: true) }"}\nEOF', rule: 'http.graphql-destructive-mutation', decision: 'block' },
    { cmd: 'curl https://api.example.net/graphql --data-binary @- <<< \'{"query":"mutation { dropDatabase(id: 1) }"}\'', rule: 'http.graphql-destructive-mutation' },
    { cmd: 'echo \'{"query":"mutation { userRemove(id: 1) }"}\' | curl -d @- https://api.example.net/graphql', rule: 'http.graphql-destructive-mutation' },
    { cmd: 'curl localhost:4000/graphql -d \'{"query":"mutation { deleteUser(id: 1) }"}\'', rule: 'http.graphql-destructive-mutation', decision: 'confirm' },
    { cmd: "sudo -E bash -c 'curl https://api.example.net/graphql -d \"{\\\"query\\\":\\\"mutation { volumeDelete(id: 1) }\\\"}\"'", rule: 'http.graphql-destructive-mutation', decision: 'block' },
    { cmd: 'curl https://api.example.net/graphql --json \'{"query":"mutation { deploymentRollback(id: 3) { id } }"}\'', rule: 'http.graphql-mutation', decision: 'confirm' },
    { cmd: 'curl https://api.example.net/graphql -d \'{"query":"mutation { resetPassword(email: \\"a@b.c\\") }"}\'', rule: 'http.graphql-mutation', decision: 'confirm' },
    { cmd: "env TOKEN=1 http POST https://api.example.net/graphql query='mutation { projectUpdate(id: 1) { id } }'", rule: 'http.graphql-mutation' },
    { cmd: 'curl -X POST https://api.example.net/graphql -d @mutation.json', rule: 'http.graphql-unseen-body', decision: 'confirm' },
    { cmd: "curl -G https://api.example.com/graphql --data-urlencode 'query=mutation { projectDelete(id: 1) }'", rule: 'http.graphql-destructive-mutation', decision: 'block' },
    { cmd: "curl --get https://api.example.com/graphql -d 'query=mutation%20%7B%20projectDelete(id%3A%201)%20%7D'", rule: 'http.graphql-destructive-mutation', decision: 'block' },
    { cmd: "curl https://api.example.com/graphql -G --data-urlencode 'query=mutation { projectUpdate(id: 1) { id } }'", rule: 'http.graphql-mutation', decision: 'confirm' },
    { cmd: 'curl -G https://api.example.com/graphql --data-urlencode query@q.graphql', rule: 'http.graphql-unseen-body', decision: 'confirm' },
    { cmd: 'cat body.json | curl -d @- https://api.example.net/graphql', rule: 'http.graphql-unseen-body' },
    { cmd: 'curl https://api.example.net/graphql -d "$BODY"', rule: 'http.graphql-unseen-body' },
    { cmd: 'sudo curl https://api.example.net/graphql -d @mutation.json', rule: 'http.graphql-unseen-body' },
  ],
});

ruleTester('http: SQL in request bodies', {
  valid: [
    'curl https://db.example.net/api -d \'{"sql":"SELECT * FROM orders"}\'',
    "curl -X POST http://localhost:8123 -d 'SELECT count() FROM events'",
    'curl -G https://api.example.net/search -d q=delete',
  ],
  invalid: [
    { cmd: "curl -X POST http://localhost:8123 -d 'DROP TABLE events'", rule: 'http.sql-in-body', decision: 'block' },
    { cmd: 'curl -X POST https://db.example.net/v2/query -d \'{"type":"run_sql","args":{"sql":"TRUNCATE orders"}}\'', rule: 'http.sql-in-body', decision: 'block' },
    { cmd: 'curl https://db.example.net/api -d \'{"query":"DELETE FROM users"}\'', rule: 'http.sql-in-body' },
    { cmd: "bash -c 'curl -X POST http://localhost:8123 -d \"DROP DATABASE analytics\"'", rule: 'http.sql-in-body' },
  ],
});
