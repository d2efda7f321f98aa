<?php
// AggrePay wallet, as a merchant writes it: sign the request with the document's
// generateHashKey (Appendix 17.1), post it as a form, and check the answer with its
// responseHashCheck (17.2).
//
// Usage: php aggrepay.php [SANDBOX_URL]   (or PAYSANDBOX_URL; default http://localhost:8080)
// Exits 1 on any unexpected answer. Plain PHP (file_get_contents, hash), no extensions.

$sandbox = $argv[1] ?? (getenv('PAYSANDBOX_URL') ?: 'http://localhost:8080');
$baseUrl = rtrim($sandbox, '/') . '/aggrepay'; // the real one: https://testwallet.aggrepaypayments.com
$apiKey = 'aggrepay-sandbox-api-key';
$salt = 'aggrepay-sandbox-salt';

function fail(string $message, $answer = null): void
{
    fwrite(STDERR, "aggrepay.php: $message" . ($answer === null ? '' : ': ' . $answer) . "\n");
    exit(1);
}

function generateHashKey($parameters, $salt, $hashing_method = 'sha512')
{
    $secure_hash = null;
    ksort($parameters);
    $hash_data = $salt;
    foreach ($parameters as $key => $value) {
        if (strlen($value) > 0) {
            $hash_data .= '|' . trim($value);
        }
    }
    if (strlen($hash_data) > 0) {
        $secure_hash = strtoupper(hash($hashing_method, $hash_data));
    }
    return $secure_hash;
}

function responseHashCheck($salt, $response_json)
{
    $response_array = json_decode($response_json, true);
    if (is_null($response_array['hash'])) {
        return true;
    }
    $response_hash = $response_array['hash'];
    unset($response_array['hash']);
    $response_json = json_encode($response_array);
    $calculated_hash = strtoupper(hash('sha512', $salt . $response_json));
    return $response_hash == $calculated_hash;
}

function post(string $url, array $form): string
{
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Content-Type: application/x-www-form-urlencoded\r\n",
        'content' => http_build_query($form),
        'ignore_errors' => true,
        'timeout' => 30,
    ]]);
    $body = @file_get_contents($url, false, $context);
    if ($body === false) {
        fail("no answer from $url");
    }
    return $body;
}

$form = ['api_key' => $apiKey, 'customer_id' => '546693304'];
$form['hash'] = generateHashKey($form, $salt);
$body = post("$baseUrl/api/v1/fetchbalance", $form);
$answer = json_decode($body, true);
if (!is_array($answer) || $answer['error'] !== null) {
    fail('fetchbalance was refused', $body);
}
if (!responseHashCheck($salt, $body)) {
    fail('the response hash does not match', $body);
}
echo "aggrepay.php: customer 546693304 holds {$answer['data']['balance']}; response hash checked\n";
