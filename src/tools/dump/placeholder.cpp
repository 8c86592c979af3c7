namespace synack::dump {}
