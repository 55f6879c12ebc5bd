/** The one place the CRM reads its environment. */
export const region = process.env.AWS_REGION ?? 'us-east-1';
