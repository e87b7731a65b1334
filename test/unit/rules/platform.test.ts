// Table-driven tests of the platform pack: every rule has a stopped row, a near-miss that is allowed, and a wrapped form.
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('platform: railway', {
  valid: ['railway logs', 'railway status', 'railway up', 'railway volume list', 'railway run npm test', 'railway download', 'echo railway volume delete --volume data-vol'],
  invalid: [
    { cmd: 'railway volume delete --volume data-vol', rule: 'platform.railway-destructive', decision: 'block' },
    { cmd: 'railway environment delete staging', rule: 'platform.railway-destructive', decision: 'block' },
    { cmd: 'railway delete', rule: 'platform.railway-destructive', decision: 'block' },
    { cmd: 'railway service delete api', rule: 'platform.railway-destructive', decision: 'confirm' },
    { cmd: 'railway down -y', rule: 'platform.railway-destructive', decision: 'confirm' },
    { cmd: "bash -c 'railway volume delete --volume data-vol'", rule: 'platform.railway-destructive', decision: 'block' },
    { cmd: 'env RAILWAY_TOKEN=x railway down -y', rule: 'platform.railway-destructive' },
  ],
});

ruleTester('platform: fly', {
  valid: ['fly status', 'fly deploy', 'fly volumes list', 'flyctl apps list', 'fly scale count 2', 'fly machine stop 1234', 'fly postgres connect -a db', 'echo fly apps destroy shop-api'],
  invalid: [
    { cmd: 'fly volumes destroy vol_123 --yes', rule: 'platform.fly-destructive', decision: 'block' },
    { cmd: 'flyctl apps destroy shop-api -y', rule: 'platform.fly-destructive', decision: 'block' },
    { cmd: 'fly destroy shop-api', rule: 'platform.fly-destructive', decision: 'block' },
    { cmd: 'fly pg destroy shop-db', rule: 'platform.fly-destructive', decision: 'block' },
    { cmd: 'fly machines destroy 1234 --force', rule: 'platform.fly-destructive', decision: 'confirm' },
    { cmd: 'fly scale count 0 -a shop-api', rule: 'platform.fly-destructive', decision: 'confirm' },
    { cmd: 'fly secrets unset API_KEY', rule: 'platform.fly-destructive', decision: 'confirm' },
    { cmd: "sudo bash -c 'flyctl volumes delete vol_1 -y'", rule: 'platform.fly-destructive', decision: 'block' },
  ],
});

ruleTester('platform: heroku', {
  valid: ['heroku apps:info -a shop', 'heroku pg:info', 'heroku pg:backups:capture', 'heroku config:get DATABASE_URL', 'heroku ps:scale web=2', 'heroku logs --tail', 'echo heroku pg:reset'],
  invalid: [
    { cmd: 'heroku pg:reset DATABASE_URL --confirm shop-api', rule: 'platform.heroku-destructive', decision: 'block' },
    { cmd: 'heroku apps:destroy --app shop-api --confirm shop-api', rule: 'platform.heroku-destructive', decision: 'block' },
    { cmd: 'heroku addons:destroy heroku-postgresql -a shop', rule: 'platform.heroku-destructive', decision: 'block' },
    { cmd: 'heroku ps:scale web=0 -a shop', rule: 'platform.heroku-destructive', decision: 'confirm' },
    { cmd: 'heroku config:unset API_KEY -a shop', rule: 'platform.heroku-destructive', decision: 'confirm' },
    { cmd: "env HEROKU_API_KEY=x bash -c 'heroku pg:reset DATABASE_URL --confirm shop'", rule: 'platform.heroku-destructive', decision: 'block' },
  ],
});

ruleTester('platform: vercel', {
  valid: ['vercel ls', 'vercel deploy --prod', 'vercel env ls', 'vercel domains ls', 'vercel project ls', 'vercel inspect shop.vercel.app', 'echo vercel remove shop-web'],
  invalid: [
    { cmd: 'vercel remove shop-web --yes', rule: 'platform.vercel-destructive', decision: 'confirm' },
    { cmd: 'vercel rm shop-web-abc123.vercel.app', rule: 'platform.vercel-destructive', decision: 'confirm' },
    { cmd: 'vercel project rm shop-web', rule: 'platform.vercel-destructive', decision: 'block' },
    { cmd: 'vercel env rm DATABASE_URL production', rule: 'platform.vercel-destructive', decision: 'confirm' },
    { cmd: 'vercel domains rm shop.example.com', rule: 'platform.vercel-destructive', decision: 'confirm' },
    { cmd: "bash -c 'vercel remove shop-web --yes'", rule: 'platform.vercel-destructive' },
  ],
});

ruleTester('platform: netlify', {
  valid: ['netlify status', 'netlify deploy --prod', 'netlify sites:list', 'netlify env:list', 'netlify env:get API_KEY', 'netlify api listSites', 'echo netlify sites:delete'],
  invalid: [
    { cmd: 'netlify sites:delete 1234 --force', rule: 'platform.netlify-destructive', decision: 'block' },
    { cmd: 'netlify env:unset API_KEY', rule: 'platform.netlify-destructive', decision: 'confirm' },
    { cmd: 'netlify api deleteDeploy --data \'{"deploy_id":"x"}\'', rule: 'platform.netlify-destructive', decision: 'confirm' },
    { cmd: 'sudo netlify sites:delete 1234', rule: 'platform.netlify-destructive', decision: 'block' },
  ],
});

ruleTester('platform: supabase', {
  valid: ['supabase status', 'supabase start', 'supabase stop', 'supabase db dump --linked', 'supabase db diff', 'supabase projects list', 'supabase functions deploy hello', 'echo supabase db reset --linked'],
  invalid: [
    { cmd: 'supabase db reset --linked', rule: 'platform.supabase-destructive', decision: 'block' },
    { cmd: 'supabase db reset --db-url postgresql://postgres:pw@db.example.com:5432/postgres', rule: 'platform.supabase-destructive', decision: 'block' },
    { cmd: 'supabase db reset', rule: 'platform.supabase-destructive', decision: 'confirm' },
    { cmd: 'supabase projects delete abcdefghijkl', rule: 'platform.supabase-destructive', decision: 'block' },
    { cmd: 'supabase branches delete feature-x', rule: 'platform.supabase-destructive', decision: 'confirm' },
    { cmd: 'supabase functions delete hello', rule: 'platform.supabase-destructive', decision: 'confirm' },
    { cmd: 'supabase stop --no-backup', rule: 'platform.supabase-destructive', decision: 'confirm' },
    { cmd: "bash -c 'npx supabase db reset --linked'", rule: 'platform.supabase-destructive', decision: 'block' },
    { cmd: 'env SUPABASE_ACCESS_TOKEN=x supabase projects delete abc', rule: 'platform.supabase-destructive', decision: 'block' },
  ],
});

ruleTester('platform: render, dokku, cf', {
  valid: ['render services list', 'render deploys create srv-123', 'dokku apps:list', 'dokku postgres:info db', 'cf apps', 'cf push myapp', 'echo cf delete myapp'],
  invalid: [
    { cmd: 'render postgres delete db-123', rule: 'platform.render-destructive', decision: 'block' },
    { cmd: 'render services delete srv-123', rule: 'platform.render-destructive', decision: 'confirm' },
    { cmd: "bash -c 'render services delete srv-123'", rule: 'platform.render-destructive' },
    { cmd: 'dokku apps:destroy shop --force', rule: 'platform.dokku-destructive', decision: 'block' },
    { cmd: 'dokku postgres:destroy shop-db', rule: 'platform.dokku-destructive', decision: 'block' },
    { cmd: 'sudo dokku config:unset shop KEY', rule: 'platform.dokku-destructive', decision: 'confirm' },
    { cmd: 'cf delete myapp -f', rule: 'platform.cf-destructive', decision: 'confirm' },
    { cmd: 'cf delete-service shop-db -f', rule: 'platform.cf-destructive', decision: 'block' },
    { cmd: 'env CF_HOME=/tmp cf stop myapp', rule: 'platform.cf-destructive', decision: 'confirm' },
  ],
});
