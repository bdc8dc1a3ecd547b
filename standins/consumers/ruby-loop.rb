# A long-running client on the Ruby SDK (Debian's ruby-aws-sdk-core 3.168),
# default credential chain: it reads only ECS's AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
# (on http://169.254.170.2). Calls GetCallerIdentity until the deadline and prints
# one JSON summary line, like the other loops.
require 'json'
require 'aws-sdk-core'

seconds = (ARGV[0] || '10').to_f
interval = (ARGV[1] || '0.25').to_f
client = Aws::STS::Client.new(region: ENV['AWS_REGION'], endpoint: ENV.fetch('STS_ENDPOINT'))
result = { 'consumer' => 'ruby-sdk', 'ok' => 0, 'failed' => 0, 'expiredToken' => 0, 'errors' => [] }
keys = {}
deadline = Time.now + seconds
while Time.now < deadline
  begin
    client.get_caller_identity
    keys[client.config.credentials.credentials.access_key_id] = true
    result['ok'] += 1
  rescue StandardError => e
    result['failed'] += 1
    result['expiredToken'] += 1 if e.to_s.downcase.include?('expired') || e.class.name.include?('ExpiredToken')
    result['errors'] << "#{e.class}: #{e}"[0, 300] if result['errors'].length < 5
  end
  sleep interval
end
result['keys'] = keys.size
result['provider'] = client.config.credentials.class.name
puts JSON.generate(result)
