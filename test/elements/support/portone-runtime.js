// A stand-in for PortOne's CDN runtime (https://cdn.portone.io/v2/browser-sdk.js): a classic script
// that defines window.PortOne, as the real one does. Served to tests through the `sdk-url` attribute.
window.__portoneRuntimeLoads = (window.__portoneRuntimeLoads || 0) + 1;
window.PortOne = {
  requestPayment: async (request) => ({ transactionType: 'PAYMENT', paymentId: request.paymentId, txId: 'tx-runtime' }),
  requestIssueBillingKey: async () => ({ transactionType: 'ISSUE_BILLING_KEY', billingKey: 'bk-runtime' }),
  requestIssueBillingKeyAndPay: async (request) => ({
    transactionType: 'ISSUE_BILLING_KEY_AND_PAY',
    paymentId: request.paymentId,
    txId: 'tx-runtime',
    billingKey: 'bk-runtime',
  }),
  requestIdentityVerification: async (request) => ({
    transactionType: 'IDENTITY_VERIFICATION',
    identityVerificationId: request.identityVerificationId,
    identityVerificationTxId: 'iv-tx-runtime',
  }),
};
