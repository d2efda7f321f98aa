<?php
// Chillr mass collect, as a biller writes it: create a batch, then check its status.
//
// Usage: php chillr.php [SANDBOX_URL]   (or PAYSANDBOX_URL; default http://localhost:8080)
// Exits 1 on any unexpected answer. Plain PHP (file_get_contents), no extensions.

$sandbox = $argv[1] ?? (getenv('PAYSANDBOX_URL') ?: 'http://localhost:8080');
$baseUrl = rtrim($sandbox, '/') . '/chillr'; // the real one: https://onlineapi.chillr.in
$apiKey = '5695d71a6368690df2030000';
$apiSecretKey = 'f333884a36ccfc54787e6d96eac5e3d3';

function fail(string $message, $answer = null): void
{
    fwrite(STDERR, "chillr.php: $message" . ($answer === null ? '' : ': ' . json_encode($answer)) . "\n");
    exit(1);
}

function post(string $url, array $payload): array
{
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Content-Type: application/json\r\n",
        'content' => json_encode($payload),
        'ignore_errors' => true,
        'timeout' => 30,
    ]]);
    $body = @file_get_contents($url, false, $context);
    if ($body === false) {
        fail("no answer from $url");
    }
    $answer = json_decode($body, true);
    if (!is_array($answer)) {
        fail("not JSON from $url", $body);
    }
    return $answer;
}

$created = post("$baseUrl/api/v5/collect", [
    'api_key' => $apiKey,
    'api_secret_key' => $apiSecretKey,
    'name' => 'Electricity bill',
    'expiry_date' => date('d-m-Y', strtotime('+7 days')),
    'customers' => [
        ['msisdn' => '9447741462', 'amount' => '200'], // a Chillr user
        ['msisdn' => '9633789451', 'amount' => '600'], // not one: no transaction
    ],
]);
if (($created['status_code'] ?? null) !== 0) {
    fail('the batch was not created', $created);
}
$batchId = $created['data']['batch_id'];
if (($created['data']['non_chillr_customers'] ?? null) !== ['9633789451']) {
    fail('unexpected non-Chillr customers', $created);
}

$status = post("$baseUrl/api/v5/check_collect_status", [
    'api_key' => $apiKey,
    'api_secret_key' => $apiSecretKey,
    'batch_id' => $batchId,
]);
if (($status['status_code'] ?? null) !== 0 || $status['data']['batch_id'] !== $batchId) {
    fail('the status check failed', $status);
}
$customer = $status['data']['customers'][0];
if ($customer['msisdn'] !== '9447741462' || ($customer['payment_status'] ?? null) !== 'pending') {
    fail("the Chillr user's request is not pending", $status);
}
echo "chillr.php: batch $batchId created; 9447741462 is {$customer['payment_status']}\n";
