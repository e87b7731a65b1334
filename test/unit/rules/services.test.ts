// Table-driven tests of the services pack: every rule has a stopped row, a near-miss that is allowed, and a wrapped form.
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('services: generic service CLIs', {
  valid: [
    // API gateways
    'apigeecli apis list', 'apigeecli orgs get --name my-org', 'apigeecli --help',
    'kong version', 'kong -v', 'kong migrations list',
    'deck dump --output-file kong.yaml', 'deck diff', 'deck --help', 'deck file openapi2kong -s spec.yaml',
    // backups and CDNs
    'velero backup get', 'velero backup create nightly', 'velero backup describe daily-backup', 'velero restore get',
    'wrangler kv:namespace list', 'wrangler r2 bucket list', 'wrangler --version', 'wrangler deploy',
    'fastly service describe --service-id abc123', 'fastly version list', 'fastly help', 'fastly domain list',
    // CI
    'circleci pipeline list org/my-org/project/app', 'circleci context show org/my-org context/prod',
    'gitlab-runner list', 'gitlab-runner verify',
    'java -jar jenkins-cli.jar -s http://jenkins.local/ list-jobs', 'java -jar jenkins-cli.jar -s http://jenkins.local/ get-job deploy-prod',
    'jenkins-cli build my-job', 'java -jar app.jar delete-job',
    // feature flags
    'flipt flag list', 'flipt flag update my-flag --name renamed', 'flipt --version', 'echo flipt',
    'ldcli flags list', 'ldcli flags create --name new-flag', 'ldcli projects get my-project',
    'split splits list --workspace my-workspace', 'split --help', 'split -l 1000 big.csv part_', 'split -b 10M backup.tar delete_',
    'unleash features enable my-toggle', 'unleash projects list',
    // messaging
    'nats stream info ORDERS', 'nats consumer ls ORDERS', 'nats kv get CONFIG api-key', 'nats pub orders.delete "msg"', 'nats bench 1 1',
    'rabbitmqadmin list queues', 'rabbitmqctl status', 'rabbitmqctl list_queues name messages', 'rabbitmqctl list_users',
    // monitoring, payments, search
    'datadog-ci dashboards list', 'newrelic entity search --name my-service', 'newrelic apm application get 123',
    'pd incident list', 'pd service get P123', 'splunk search "error"', 'splunk status',
    'stripe products list', 'stripe customers retrieve cus_123', 'stripe listen --forward-to localhost:4242/webhook', 'stripe trigger payment_intent.succeeded',
    'algolia indices list', 'algolia objects browse products',
    // secrets
    'op whoami', 'op item get "Database Password"', 'op read op://vault/item/field', 'op account forget my', 'op vault get Engineering',
    'vault version', 'vault kv list secret/', 'vault kv get secret/reset', 'vault kv put secret/app/config key=newvalue', 'vault -namespace=admin status',
    'vault --namespace admin policy list', 'vault token lookup', 'echo "vault secrets disable secret/"',
    'doppler secrets get DATABASE_URL', 'doppler run -- npm start', 'doppler secrets list --project backend --config prod',
    // service discovery
    'consul kv get app/config', 'consul members', 'nomad job status web', 'nomad job run web.nomad',
    'etcdctl get /app --prefix', 'etcdctl put /app/key v', 'etcdctl member list',
  ],
  invalid: [
    { cmd: 'apigeecli products delete --name my-product', rule: 'service.destructive-command' },
    { cmd: 'apigeecli envs delete --name prod', rule: 'service.destructive-command' },
    { cmd: 'kong migrations reset --yes', rule: 'service.destructive-command', decision: 'block' },
    { cmd: 'deck reset', rule: 'service.destructive-command' },
    { cmd: 'deck sync --select-tag production', rule: 'service.destructive-command' },
    { cmd: 'deck gateway sync kong.yaml', rule: 'service.destructive-command' },
    { cmd: 'velero backup delete daily-backup --confirm', rule: 'service.destructive-command' },
    { cmd: 'velero schedule delete nightly', rule: 'service.destructive-command' },
    { cmd: 'wrangler delete', rule: 'service.destructive-command' },
    { cmd: 'wrangler r2 bucket delete my-bucket', rule: 'service.destructive-command' },
    { cmd: 'wrangler d1 delete prod-db', rule: 'service.destructive-command', decision: 'block' },
    { cmd: 'wrangler dns-records delete --zone-id abc --record-id def', rule: 'service.destructive-command' },
    { cmd: 'fastly service delete --service-id abc123', rule: 'service.destructive-command' },
    { cmd: 'fastly logging s3 delete --name logs', rule: 'service.destructive-command' },
    { cmd: 'fastly service version activate --version 5', rule: 'service.destructive-command', decision: 'confirm' },
    { cmd: 'circleci context delete org/my-org context/staging', rule: 'service.destructive-command' },
    { cmd: 'circleci context remove-secret org/my-org context/prod AWS_SECRET_ACCESS_KEY', rule: 'service.destructive-command' },
    { cmd: 'gitlab-runner unregister --all-runners', rule: 'service.destructive-command' },
    { cmd: 'java -jar jenkins-cli.jar -s http://jenkins.local/ delete-job deploy-prod', rule: 'service.destructive-command' },
    { cmd: 'java -jar /opt/jenkins-cli.jar -s http://jenkins.local/ -auth u:t delete-builds my-job 100..200', rule: 'service.destructive-command' },
    { cmd: 'jenkins-cli delete-node agent-1', rule: 'service.destructive-command' },
    { cmd: 'flipt flag delete my-flag --namespace default', rule: 'service.destructive-command' },
    { cmd: 'ldcli flags archive my-flag --project my-project', rule: 'service.destructive-command' },
    { cmd: 'ldcli projects delete my-project', rule: 'service.destructive-command' },
    { cmd: 'split splits delete my-split --workspace my-workspace', rule: 'service.destructive-command' },
    { cmd: 'unleash projects delete my-project', rule: 'service.destructive-command' },
    { cmd: 'nats stream delete ORDERS', rule: 'service.destructive-command' },
    { cmd: 'nats consumer rm ORDERS durable', rule: 'service.destructive-command' },
    { cmd: 'nats kv del CONFIG api-key --purge', rule: 'service.destructive-command' },
    { cmd: 'nats kv purge CONFIG', rule: 'service.destructive-command' },
    { cmd: 'rabbitmqadmin delete queue name=jobs', rule: 'service.destructive-command' },
    { cmd: 'rabbitmqctl delete_vhost /staging', rule: 'service.destructive-command' },
    { cmd: 'rabbitmqctl clear_permissions -p /staging ci-bot', rule: 'service.destructive-command' },
    { cmd: 'rabbitmqctl forget_cluster_node rabbit@node2', rule: 'service.destructive-command' },
    { cmd: 'rabbitmqctl force_reset', rule: 'service.destructive-command', decision: 'confirm' },
    { cmd: 'nats stream rmm ORDERS 42 -f', rule: 'service.destructive-command', decision: 'confirm' },
    { cmd: 'vault operator seal', rule: 'service.destructive-command', decision: 'confirm' },
    { cmd: 'datadog-ci monitors delete 123', rule: 'service.destructive-command' },
    { cmd: 'newrelic apm application delete 123', rule: 'service.destructive-command' },
    { cmd: 'pd team delete P567', rule: 'service.destructive-command' },
    { cmd: 'splunk clean eventdata -index main', rule: 'service.destructive-command', decision: 'block' },
    { cmd: 'stripe prices delete price_123', rule: 'service.destructive-command' },
    { cmd: 'stripe api_keys roll', rule: 'service.destructive-command' },
    { cmd: 'algolia indices delete products', rule: 'service.destructive-command' },
    { cmd: 'algolia indices clear products', rule: 'service.destructive-command' },
    { cmd: 'op item delete "Database Password"', rule: 'service.destructive-command', decision: 'confirm' },
    { cmd: 'op item delete --archive "Legacy Token"', rule: 'service.destructive-command', decision: 'confirm' },
    { cmd: 'op vault delete vlt_abc123', rule: 'service.destructive-command', decision: 'block' },
    { cmd: 'vault secrets disable secret/', rule: 'service.destructive-command', decision: 'block' },
    { cmd: 'vault kv destroy -versions=1-3 secret/myapp/config', rule: 'service.destructive-command' },
    { cmd: 'vault kv metadata delete secret/myapp/config', rule: 'service.destructive-command' },
    { cmd: 'vault delete secret/myapp/config', rule: 'service.destructive-command' },
    { cmd: 'vault -namespace=admin policy delete myapp-policy', rule: 'service.destructive-command' },
    { cmd: 'vault token revoke abc123', rule: 'service.destructive-command' },
    { cmd: 'doppler secrets delete STRIPE_KEY --project payments --config prod -y', rule: 'service.destructive-command' },
    { cmd: 'doppler projects delete payments -y', rule: 'service.destructive-command', decision: 'block' },
    { cmd: 'consul kv delete -recurse app/', rule: 'service.destructive-command' },
    { cmd: 'nomad job stop -purge web', rule: 'service.destructive-command' },
    { cmd: 'etcdctl del /app/key', rule: 'service.destructive-command', decision: 'confirm' },
    { cmd: 'etcdctl del "" --from-key', rule: 'service.destructive-command' },
    // wrapped forms
    { cmd: "sudo -u vault bash -c 'vault kv destroy secret/app/config'", rule: 'service.destructive-command' },
    { cmd: 'env OP_SESSION=x op user delete "user@example.com"', rule: 'service.destructive-command' },
    { cmd: "bash -c 'nats stream rm ORDERS -f'", rule: 'service.destructive-command' },
    { cmd: 'sudo rabbitmqctl delete_user deployer', rule: 'service.destructive-command' },
    { cmd: 'env JENKINS_URL=http://j java -jar jenkins-cli.jar delete-job x', rule: 'service.destructive-command' },
  ],
});

ruleTester('services: rclone', {
  valid: [
    'rclone copy src: dest:', 'rclone lsd remote:bucket', 'rclone size remote:bucket', 'rclone check src: dest:', 'rclone config',
    'rclone sync src: dest: --dry-run', 'rclone sync /data remote:bucket -n', 'rclone delete remote:bucket --dry-run', 'rclone about remote:',
    'echo rclone purge remote:bucket',
  ],
  invalid: [
    { cmd: 'rclone delete remote:bucket', rule: 'service.rclone-delete' },
    { cmd: 'rclone deletefile remote:bucket/file.txt', rule: 'service.rclone-delete' },
    { cmd: 'rclone purge remote:important-bucket', rule: 'service.rclone-delete', decision: 'block' },
    { cmd: 'rclone purge remote:bucket/tmp/build-cache', rule: 'service.rclone-delete', decision: 'confirm' },
    { cmd: 'rclone rmdir remote:important-bucket/old', rule: 'service.rclone-delete' },
    { cmd: 'rclone move /src remote:important-bucket', rule: 'service.rclone-delete' },
    { cmd: 'rclone cleanup remote:bucket', rule: 'service.rclone-delete' },
    { cmd: 'rclone sync /src remote:important-bucket', rule: 'service.rclone-delete', decision: 'confirm' },
    { cmd: 'rclone sync /src remote:important-bucket --delete-excluded', rule: 'service.rclone-delete' },
    { cmd: "bash -c 'rclone sync /src remote:bucket --delete-before'", rule: 'service.rclone-delete' },
    { cmd: 'sudo rclone --config /etc/rclone.conf delete remote:x', rule: 'service.rclone-delete' },
  ],
});

ruleTester('services: restic', {
  valid: ['restic snapshots', 'restic backup /srv/app', 'restic find --name config.yml', 'restic mount /mnt/restic', 'restic version', 'restic forget --keep-last 3 --prune --dry-run', 'restic key list', 'echo restic forget latest'],
  invalid: [
    { cmd: 'restic forget latest', rule: 'service.restic-delete' },
    { cmd: 'restic forget --keep-daily 7 --keep-weekly 4 --prune', rule: 'service.restic-delete' },
    { cmd: 'restic forget --tag prod --unsafe-allow-remove-all', rule: 'service.restic-delete', decision: 'block' },
    { cmd: 'restic -o s3.bucket="my bucket" forget', rule: 'service.restic-delete' },
    { cmd: 'restic key remove 1', rule: 'service.restic-delete' },
    { cmd: 'restic -r s3:s3.amazonaws.com/b prune', rule: 'service.restic-delete' },
    { cmd: 'env RESTIC_PASSWORD=x restic forget bdbd3439', rule: 'service.restic-delete' },
  ],
});

ruleTester('services: borg', {
  valid: ['borg check repo', 'borg info repo', 'borg create repo::archive /srv/data', 'borg list repo::archive', 'borg version', 'borg prune --dry-run --list --keep-daily 7 repo', 'echo borg delete repo'],
  invalid: [
    { cmd: 'borg delete repo::old', rule: 'service.borg-delete', decision: 'confirm' },
    { cmd: 'borg delete --stats repo::archive', rule: 'service.borg-delete' },
    { cmd: 'borg delete ::archive-2024-01-01', rule: 'service.borg-delete' },
    { cmd: 'borg delete /backups/repo', rule: 'service.borg-delete', decision: 'block' },
    { cmd: 'borg prune --keep-last 1 --keep-daily 7', rule: 'service.borg-delete' },
    { cmd: 'borg recreate repo::archive --exclude /tmp', rule: 'service.borg-delete' },
    { cmd: 'borg compact', rule: 'service.borg-delete' },
    { cmd: 'borg delete --cache-only', rule: 'service.borg-delete' },
    { cmd: "sudo bash -c 'borg prune repo --keep-weekly 4'", rule: 'service.borg-delete' },
  ],
});

ruleTester('services: kafka', {
  valid: [
    'kafka-topics --bootstrap-server localhost:9092 --describe --topic logs',
    'kafka-topics --bootstrap-server localhost:9092 --create --topic new-topic --partitions 3 --replication-factor 1',
    'kafka-consumer-groups --bootstrap-server localhost:9092 --describe --group billing',
    'kafka-consumer-groups --bootstrap-server localhost:9092 --reset-offsets --group g --topic t --to-earliest --dry-run',
    'kafka-acls --bootstrap-server localhost:9092 --list',
    'kafka-console-producer --bootstrap-server localhost:9092 --topic logs',
    'echo kafka-topics --delete --topic users',
  ],
  invalid: [
    { cmd: 'kafka-topics --bootstrap-server localhost:9092 --delete --topic users', rule: 'service.kafka-destructive' },
    { cmd: 'kafka-topics.sh --bootstrap-server localhost:9092 --delete --topic users', rule: 'service.kafka-destructive' },
    { cmd: 'kafka-consumer-groups --bootstrap-server localhost:9092 --delete --group billing', rule: 'service.kafka-destructive' },
    { cmd: 'kafka-consumer-groups --bootstrap-server localhost:9092 --reset-offsets --group analytics --topic orders', rule: 'service.kafka-destructive' },
    { cmd: 'kafka-configs --bootstrap-server localhost:9092 --alter --delete-config retention.ms --entity-type topics --entity-name logs', rule: 'service.kafka-destructive' },
    { cmd: 'kafka-acls --bootstrap-server localhost:9092 --remove --topic payments --operation All', rule: 'service.kafka-destructive' },
    { cmd: "bash -c 'kafka-topics --bootstrap-server b:9092 --delete --topic t'", rule: 'service.kafka-destructive' },
  ],
});

ruleTester('services: gh and glab', {
  valid: [
    'gh repo view', 'gh issue list', 'gh ssh-key list', 'gh secret list', 'gh auth status', 'gh status', 'gh pr create --fill',
    'gh api /repos/owner/repo', 'gh api -X GET /repos/owner/repo', 'gh release list', 'gh workflow enable deploy.yml',
    'gh api graphql -f query="query { viewer { login } }"',
    'glab ci view 123', 'glab ci status', 'glab repo clone my/group', 'glab issue view 456', 'glab release list', 'glab api -X GET projects/123',
    'echo "gh repo delete owner/repo --yes"',
  ],
  invalid: [
    { cmd: 'gh repo delete owner/repo --yes', rule: 'service.forge-delete' },
    { cmd: 'gh gist delete 12345', rule: 'service.forge-delete' },
    { cmd: 'gh release delete v1.0.0', rule: 'service.forge-delete' },
    { cmd: 'gh ssh-key delete 1', rule: 'service.forge-delete' },
    { cmd: 'gh secret delete PROD_API_KEY', rule: 'service.forge-delete' },
    { cmd: 'gh workflow disable deploy.yml', rule: 'service.forge-delete' },
    { cmd: 'gh api -X DELETE /repos/owner/repo', rule: 'service.forge-delete' },
    { cmd: 'gh api --method=DELETE /repos/owner/repo/hooks/1', rule: 'service.forge-delete' },
    { cmd: 'gh api graphql -f query="mutation { deleteRepository(input: {repositoryId: \\"x\\"}) { clientMutationId } }"', rule: 'service.forge-delete' },
    { cmd: 'glab api -X DELETE /projects/123/releases/v1.2.3', rule: 'service.forge-delete' },
    { cmd: 'glab api --method DELETE /projects/123/protected_branches/main', rule: 'service.forge-delete' },
    { cmd: 'glab repo delete my/group -y', rule: 'service.forge-delete' },
    { cmd: "bash -c 'gh repo delete owner/repo --yes'", rule: 'service.forge-delete' },
    { cmd: 'env GH_TOKEN=x gh api -X DELETE /repos/owner/repo', rule: 'service.forge-delete' },
  ],
});

ruleTester('services: gitlab-rake', {
  valid: ['gitlab-rake gitlab:check', 'gitlab-rake gitlab:env:info', 'gitlab-backup create', 'echo gitlab-rake gitlab:backup:restore'],
  invalid: [
    { cmd: 'gitlab-rake gitlab:backup:restore', rule: 'service.gitlab-rake-destructive' },
    { cmd: 'gitlab-rake gitlab:backup:restore BACKUP=1700000000_gitlab_backup', rule: 'service.gitlab-rake-destructive' },
    { cmd: 'gitlab-rake gitlab:setup', rule: 'service.gitlab-rake-destructive', decision: 'block' },
    { cmd: 'gitlab-backup restore BACKUP=x', rule: 'service.gitlab-rake-destructive' },
    { cmd: 'sudo gitlab-rake gitlab:backup:restore', rule: 'service.gitlab-rake-destructive' },
  ],
});
