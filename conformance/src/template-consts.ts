// Constants other modules build declarations from: readable with type information only.
export const SHARED_REASON = 'reference data every tenant reads';
export const ORDER_PK = 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ORDER#{id}';
export const INVOICE_PK = 'INVOICE#{id}';
export const ROUTE = '/orders/{orderId}';
export const ORDER_ID = 'orderId';
export const TENANT_SCOPE = 'tenant';
export const KEYS = { shipment: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#SHIPMENT#{id}' } as const;
