/* 802.1Q tagging for the oracle captures when the kernel has no 8021q module (CONFIG_VLAN_8021Q=n) and no bridge
 * VLAN filtering: a tc classifier (direct action) that pushes VLAN 10 on egress (-DVLAN_PUSH) or pops it on
 * ingress (-DVLAN_POP). The kernel itself inserts the tag (bpf_skb_vlan_push, helper 18; bpf_skb_vlan_pop,
 * helper 19), and libpcap re-inserts it into the captured frame exactly as for a vlan interface, so a capture on
 * the veth shows real tagged frames: ethertype 802.1Q (0x8100), vlan 10, p 0.
 * Built by make_captures.sh: clang -O2 -target bpf -DVLAN_PUSH -c vlan_tag.bpf.c. No headers needed. */
#define SEC(name) __attribute__((section(name), used))

struct __sk_buff;

#define VLAN_ID 10
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ETH_P_8021Q_NETWORK_ORDER 0x0081 /* htons(0x8100) */
#else
#define ETH_P_8021Q_NETWORK_ORDER 0x8100
#endif
#define TC_ACT_OK 0

#if defined(VLAN_PUSH)
static long (*bpf_skb_vlan_push)(struct __sk_buff *skb, unsigned short proto, unsigned short tci) = (void *)18;
SEC("tc") int vlan_push(struct __sk_buff *skb) {
    bpf_skb_vlan_push(skb, ETH_P_8021Q_NETWORK_ORDER, VLAN_ID);
    return TC_ACT_OK;
}
#elif defined(VLAN_POP)
static long (*bpf_skb_vlan_pop)(struct __sk_buff *skb) = (void *)19;
SEC("tc") int vlan_pop(struct __sk_buff *skb) {
    bpf_skb_vlan_pop(skb);
    return TC_ACT_OK;
}
#else
#error "define VLAN_PUSH or VLAN_POP"
#endif

char _license[] SEC("license") = "GPL";
