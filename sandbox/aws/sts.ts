// Fake AWS STS (awsQuery protocol, XML). https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
import { xmlEscape, type CallContext, type QueryService } from './protocol.ts';

export const SANDBOX_USER_ID = 'AIDASANDBOXEXAMPLE0001';

export function createStsService(): QueryService {
  return {
    protocol: 'query',
    name: 'sts',
    signingName: 'sts',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    operations: {
      GetCallerIdentity(_input: Record<string, string>, ctx: CallContext) {
        return [
          `<Arn>${xmlEscape(`arn:aws:iam::${ctx.accountId}:user/sandbox`)}</Arn>`,
          `<UserId>${SANDBOX_USER_ID}</UserId>`,
          `<Account>${ctx.accountId}</Account>`,
        ].join('');
      },
    },
  };
}
