<?php
// PayPro ConnectPay, as a merchant writes it: create an order with the JSON in the query
// (`co?oJson=...`), then ask its status (`gos`).
//
// Usage: php paypro.php [SANDBOX_URL]   (or PAYSANDBOX_URL; default http://localhost:8080)
// Exits 1 on any unexpected answer. Plain PHP (file_get_contents), no extensions.

$sandbox = $argv[1] ?? (getenv('PAYSANDBOX_URL') ?: 'http://localhost:8080');
$baseUrl = rtrim($sandbox, '/') . '/paypro'; // the real one: https://{Base URL}
$username = 'PayProUser';
$password = 'Password';

function fail(string $message, $answer = null): void
{
    fwrite(STDERR, "paypro.php: $message" . ($answer === null ? '' : ': ' . json_encode($answer)) . "\n");
    exit(1);
}

function getJson(string $url): array
{
    $context = stream_context_create(['http' => ['ignore_errors' => true, 'timeout' => 30]]);
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

$orderNumber = 'PHP-' . time() . '-' . random_int(1000, 9999);
$order = [
    ['MerchantId' => $username, 'MerchantPassword' => $password],
    [
        'OrderNumber' => $orderNumber,
        'OrderAmount' => '4400',
        'OrderDueDate' => date('d/m/Y', strtotime('+30 days')),
        'OrderType' => 'Service',
        'IssueDate' => date('d/m/Y'),
        'OrderExpireAfterSeconds' => '0',
        'CustomerName' => 'Umer Aziz',
        'CustomerMobile' => '',
        'CustomerEmail' => '',
        'CustomerAddress' => '',
    ],
];
$created = getJson("$baseUrl/cpay/co?oJson=" . urlencode(json_encode($order)));
if (($created[0]['Status'] ?? null) !== '00') {
    fail('the order was not created', $created);
}
$connectPayId = $created[1]['ConnectPayId'];
if ($created[1]['OrderNumber'] !== $orderNumber || empty($created[1]['Click2Pay'])) {
    fail('unexpected order details', $created);
}

$status = getJson("$baseUrl/cpay/gos?" . http_build_query([
    'userName' => $username,
    'password' => $password,
    'cpayId' => $connectPayId,
]));
if (($status[0]['Status'] ?? null) !== '00' || $status[1]['OrderNumber'] !== $orderNumber) {
    fail('the status query failed', $status);
}
if (strtoupper($status[1]['OrderStatus'] ?? '') !== 'UNPAID') {
    fail('a new order is not unpaid', $status);
}
echo "paypro.php: order $orderNumber is $connectPayId, {$status[1]['OrderStatus']}\n";
