<?php
// Jaze payment details, as an ISP's billing code writes it: HTTP Basic authentication (user
// name = API Token, password = API Key), then a user's payment details (S2).
//
// Usage: php jaze.php [SANDBOX_URL]   (or PAYSANDBOX_URL; default http://localhost:8080)
// Exits 1 on any unexpected answer. Plain PHP (file_get_contents), no extensions.

$sandbox = $argv[1] ?? (getenv('PAYSANDBOX_URL') ?: 'http://localhost:8080');
$baseUrl = rtrim($sandbox, '/') . '/jaze'; // the real one: the ISP dashboard URL
$apiToken = 'jaze-sandbox-token';
$apiKey = 'jaze-sandbox-key';

function fail(string $message, $answer = null): void
{
    fwrite(STDERR, "jaze.php: $message" . ($answer === null ? '' : ': ' . json_encode($answer)) . "\n");
    exit(1);
}

/** [HTTP status, decoded JSON]; Jaze answers wrong credentials with HTTP 401. */
function getJson(string $url, string $token, string $key): array
{
    $context = stream_context_create(['http' => [
        'header' => 'Authorization: Basic ' . base64_encode("$token:$key") . "\r\n",
        'ignore_errors' => true,
        'timeout' => 30,
    ]]);
    $body = @file_get_contents($url, false, $context);
    if ($body === false) {
        fail("no answer from $url");
    }
    $headers = function_exists('http_get_last_response_headers')
        ? http_get_last_response_headers()
        : $http_response_header;
    preg_match('{^HTTP/\S+ (\d{3})}', $headers[0] ?? '', $match);
    return [(int) ($match[1] ?? 0), json_decode($body, true)];
}

[$status, $details] = getJson("$baseUrl/api/v1/get_payment_details/2", $apiToken, $apiKey);
if ($status !== 200 || !is_array($details) || ($details[0]['customerNumber'] ?? null) !== '2') {
    fail('unexpected payment details', $details);
}
$paymentIds = array_map(fn ($p) => $p['Payment']['id'], $details[1]);
if (!in_array(7400, $paymentIds, true)) {
    fail('payment 7400 is missing', $details);
}

[$status, $refused] = getJson("$baseUrl/api/v1/get_payment_details/2", $apiToken, 'not-the-key');
if ($status !== 401 || ($refused['errorCode'] ?? null) !== 401) {
    fail('a wrong API Key was not refused with 401', $refused);
}
echo "jaze.php: user 2 has payments " . implode(', ', $paymentIds) . "; a wrong key answers 401\n";
